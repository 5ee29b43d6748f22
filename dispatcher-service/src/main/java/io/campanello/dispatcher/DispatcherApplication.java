package io.campanello.dispatcher;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.Subscription;
import java.time.Duration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;

/** The only component that calls subscriber endpoints: signed POSTs, attempt records, retry tiers, dead letters. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DispatcherApplication {

    /** The name of this service's configuration file, {@code dispatcher-service.yml}. */
    public static final String CONFIG_NAME = "dispatcher-service";

    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(DispatcherApplication.class)
                .main(DispatcherApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME);
    }

    public static void main(String[] args) {
        application().run(args);
    }

    /** The current URL and secret of every subscription, so retries use what the owner set last. */
    @Bean
    TopicTable<Subscription> subscriptionTable(KafkaProperties kafka, CampanelloKafkaProperties properties) {
        return new TopicTable<>(
                properties.topics().subscriptions(),
                Subscription.class,
                kafka.buildConsumerProperties(),
                Duration.ofSeconds(60));
    }
}
