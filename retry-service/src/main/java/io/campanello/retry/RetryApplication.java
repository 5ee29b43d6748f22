package io.campanello.retry;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Owns time: holds deliveries on their retry tier until due, then hands them back to the dispatcher. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RetryApplication {

    /** The name of this service's configuration file, {@code retry-service.yml}. */
    public static final String CONFIG_NAME = "retry-service";

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(RetryApplication.class)
                .main(RetryApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
