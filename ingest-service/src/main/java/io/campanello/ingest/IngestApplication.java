package io.campanello.ingest;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Accepts events over HTTP and from producers' source topics and writes them to webhooks.events. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IngestApplication {

    /** The name of this service's configuration file, {@code ingest-service.yml}. */
    public static final String CONFIG_NAME = "ingest-service";

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(IngestApplication.class)
                .main(IngestApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
