package io.campanello.console;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The operator console: pages shipped in this jar, and {@code /v1/**} forwarded on the same origin to the service
 * that owns each path, with the caller's API key, so the browser talks to one address.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ConsoleApplication {

    /** The name of this service's configuration file, {@code console.yml}. */
    public static final String CONFIG_NAME = "console";

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(ConsoleApplication.class)
                .main(ConsoleApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
