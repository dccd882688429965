package org.aidledger.infra.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.aidledger.infra.web.ProblemDetails;
import org.aidledger.messages.rules.Rule;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * HTTP Basic with users from configuration. ADMIN records, APPROVER approves and rejects
 * payouts, AUDITOR only reads. Health, metrics and the API description are open.
 */
@Configuration
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

    public static final String ADMIN = "ADMIN";
    public static final String APPROVER = "APPROVER";
    public static final String AUDITOR = "AUDITOR";

    /**
     * The paths below are matched as path patterns on the request itself. Spring Security's
     * default for an application with Spring MVC asks MVC which handler a request goes to,
     * which is the same search through every request mapping that MVC makes again afterwards:
     * in a W1 profile the two searches took a third of the request threads' time.
     */
    @Bean
    public static PathPatternRequestMatcherBuilderFactoryBean pathPatternRequestMatchers() {
        return new PathPatternRequestMatcherBuilderFactoryBean();
    }

    /**
     * Spring Security observes nothing of its own: by default each request opened an observation
     * for the filter chain and one for each of its filters (timers and their tags, built per
     * request), a tenth of the request threads' time in a W1 profile. Requests are still timed
     * as a whole ({@code http.server.requests}); refusals are answered and counted there by
     * status.
     */
    @Bean
    public static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Spring Security's strict firewall with its default rules, the header rules checked by
     * {@link HeaderCharacters} instead of regular expressions.
     */
    @Bean
    public static HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderCharacters::allowedName);
        firewall.setAllowedHeaderValues(HeaderCharacters::allowedValue);
        return firewall;
    }

    /**
     * A request the firewall refuses before it reaches MVC (a path with an encoded period or
     * slash, a control character in the credentials) is answered as MVC answers one it refuses
     * later: 400, the rule {@code MALFORMED_REQUEST}, and the firewall's reason.
     */
    @Bean
    public RequestRejectedHandler requestRejectedHandler(ObjectMapper json) {
        return (request, response, e) -> write(response, json,
                ProblemDetails.of(Rule.MALFORMED_REQUEST, e.getMessage()), request.getRequestURI());
    }

    /** See {@link UncachedHandlerMappingIntrospector}. */
    @Bean
    public static BeanDefinitionRegistryPostProcessor uncachedHandlerMappingIntrospector() {
        return UncachedHandlerMappingIntrospector.replacing();
    }

    @Bean
    public PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    public UserDetailsService users(SecurityProperties properties) {
        List<UserDetails> users = properties.getUsers().stream()
                .map(u -> User.withUsername(u.getName()).password(u.getPasswordHash())
                        .roles(u.getRoles().toArray(String[]::new)).build())
                .toList();
        return new InMemoryUserDetailsManager(users);
    }

    @Bean
    public AuthenticationManager authenticationManager(UserDetailsService users,
            PasswordEncoder passwordEncoder) {
        DaoAuthenticationProvider bcrypt = new DaoAuthenticationProvider(users);
        bcrypt.setPasswordEncoder(passwordEncoder);
        return new ProviderManager(new CachingBasicAuthentication(bcrypt));
    }

    @Bean
    public SecurityFilterChain api(HttpSecurity http, ObjectMapper json,
            AuthenticationManager authenticationManager) throws Exception {
        http.authenticationManager(authenticationManager)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health/**", "/actuator/prometheus",
                                "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
                        .permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/**")
                        .hasAnyRole(ADMIN, APPROVER, AUDITOR)
                        .requestMatchers("/api/v1/audit/**").hasAnyRole(ADMIN, AUDITOR)
                        .requestMatchers(HttpMethod.POST, "/api/v1/funds/*/payouts/*/approve",
                                "/api/v1/funds/*/payouts/*/reject",
                                "/api/v1/funds/*/loans/*/approve",
                                "/api/v1/funds/*/loans/*/reject")
                        .hasRole(APPROVER)
                        .requestMatchers("/api/**").hasRole(ADMIN)
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint((request, response, e) -> {
                    response.setHeader("WWW-Authenticate", "Basic realm=\"aid-ledger\"");
                    write(response, json, ProblemDetails.of(Rule.UNAUTHENTICATED,
                            "sign in with HTTP Basic and a known user and password"),
                            request.getRequestURI());
                }))
                .exceptionHandling(ex -> ex.accessDeniedHandler((request, response, e) ->
                        write(response, json, ProblemDetails.of(Rule.ROLE_NOT_PERMITTED,
                                "your role may not " + request.getMethod() + " "
                                        + request.getRequestURI()), request.getRequestURI())));
        return http.build();
    }

    private static void write(HttpServletResponse response, ObjectMapper json,
            ProblemDetail problem, String uri) throws IOException {
        try {
            problem.setInstance(java.net.URI.create(uri));
        } catch (IllegalArgumentException notAUri) {
            // A path the firewall refused may not be a URI; the answer goes without it.
        }
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
