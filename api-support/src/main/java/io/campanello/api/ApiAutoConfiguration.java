package io.campanello.api;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

/** The REST edge of a Campanello service: API keys, tenants, problem+json errors. */
@AutoConfiguration
@EnableConfigurationProperties(ApiProperties.class)
@Import(ProblemAdvice.class)
public class ApiAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ApiAutoConfiguration.class);

    @Bean
    ApiKeyFilter apiKeyFilter(ApiProperties properties) {
        ApiKeys keys = new ApiKeys(properties);
        if (keys.isEmpty()) {
            log.warn("no API key configured (CAMPANELLO_API_KEY, CAMPANELLO_API_KEYS, CAMPANELLO_ADMIN_API_KEY):"
                    + " every /v1 call is refused");
        }
        return new ApiKeyFilter(keys);
    }

    @Bean
    ProblemExceptionHandler problemExceptionHandler() {
        return new ProblemExceptionHandler();
    }

    /**
     * Each service's own Netty resources instead of reactor-netty's JVM-wide ones: where several services share a
     * JVM (the standalone), stopping one must not stop the others' servers and clients.
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        // Connections are drained by the graceful shutdown before; do not wait 2 s more for the event loops.
        factory.setShutdownQuietPeriod(Duration.ofMillis(100));
        return factory;
    }

    @Bean
    WebFluxConfigurer tenantArguments() {
        return new WebFluxConfigurer() {
            @Override
            public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
                configurer.addCustomResolver(new TenantArgumentResolver());
            }
        };
    }
}
