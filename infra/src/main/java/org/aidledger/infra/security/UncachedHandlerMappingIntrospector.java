package org.aidledger.infra.security;

import jakarta.servlet.Filter;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.web.servlet.handler.HandlerMappingIntrospector;

/**
 * Spring MVC's {@link HandlerMappingIntrospector}, except that the filter it hands Spring
 * Security does not look up each request's handler in advance.
 *
 * <p>Spring Security puts that filter in front of its chain so that MVC-based request matchers
 * and CORS can reuse one look-up. This ledger matches its rules as path patterns
 * ({@link SecurityConfiguration}) and serves no CORS, so the answer was never read: it was a
 * search through every request mapping per request (each of the ledger's paths has a variable,
 * so every mapping is tried), made again by MVC itself, about half of the request threads'
 * handler searches in a W1 profile. Anything that still asks the introspector gets its answer
 * by a look-up of its own.
 */
public class UncachedHandlerMappingIntrospector extends HandlerMappingIntrospector {

    /** The bean Spring MVC's configuration defines and Spring Security refers to by name. */
    static final String BEAN_NAME = "mvcHandlerMappingIntrospector";

    @Override
    public Filter createCacheFilter() {
        return (request, response, chain) -> chain.doFilter(request, response);
    }

    /** Puts this introspector in the place of MVC's, under the same name, created lazily. */
    static BeanDefinitionRegistryPostProcessor replacing() {
        return new BeanDefinitionRegistryPostProcessor() {
            @Override
            public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
                if (!registry.containsBeanDefinition(BEAN_NAME)) {
                    return;
                }
                registry.removeBeanDefinition(BEAN_NAME);
                RootBeanDefinition introspector =
                        new RootBeanDefinition(UncachedHandlerMappingIntrospector.class);
                introspector.setLazyInit(true);
                registry.registerBeanDefinition(BEAN_NAME, introspector);
            }

            @Override
            public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
            }
        };
    }
}
