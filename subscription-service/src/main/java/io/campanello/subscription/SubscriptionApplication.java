package io.campanello.subscription;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Owns subscriptions (REST API, compacted topic) and matches every event to them. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SubscriptionApplication {

    /** The name of this service's configuration file, {@code subscription-service.yml}. */
    public static final String CONFIG_NAME = "subscription-service";

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(SubscriptionApplication.class)
                .main(SubscriptionApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
