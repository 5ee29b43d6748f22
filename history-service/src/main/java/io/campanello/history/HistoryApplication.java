package io.campanello.history;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Answers "what happened to my webhook?": every delivery with its attempts, rebuilt from Kafka into state stores
 * (Kafka Streams, RocksDB) with a retention, queried through the instance that holds it.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HistoryApplication {

    /** The name of this service's configuration file, {@code history-service.yml}. */
    public static final String CONFIG_NAME = "history-service";

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(HistoryApplication.class)
                .main(HistoryApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
