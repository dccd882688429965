package org.aidledger.infra.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring MVC without Bean Validation of the ledger's handlers and request bodies.
 *
 * <p>The ledger's rules are checked by its commands and reads, which refuse with a named rule
 * ({@code RuleViolation}); no handler declares Bean Validation constraints or {@code @Valid},
 * and {@code RequestPathTest} keeps it so. Bean Validation is on the class path only because
 * the API description's library brings it, and with it Spring MVC 6.2 set up a method validator
 * for every handler call and looked up its validation groups each time (Spring Framework issue
 * 36274): about 5 % of the request threads in a W1 profile, for handlers it never validated.
 * MVC's validator is now one that validates no type, so MVC sets up no method validation.
 */
@Configuration(proxyBeanMethods = false)
public class HandlerMethodValidation implements WebMvcConfigurer {

    @Override
    public Validator getValidator() {
        return new Validator() {
            @Override
            public boolean supports(Class<?> type) {
                return false;
            }

            @Override
            public void validate(Object target, Errors errors) {
            }
        };
    }
}
