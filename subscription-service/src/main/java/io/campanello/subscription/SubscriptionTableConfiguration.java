package io.campanello.subscription;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.EndpointStatus;
import io.campanello.schemas.v1.Subscription;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every instance keeps all subscriptions in memory, read from the compacted topic that is their source of truth. */
@Configuration(proxyBeanMethods = false)
class SubscriptionTableConfiguration {

    /** What each dispatcher instance reports of each endpoint, for {@code GET /v1/subscriptions/{id}/health}. */
    @Bean
    TopicTable<EndpointStatus> endpointStatusTable(KafkaProperties kafka, CampanelloKafkaProperties properties) {
        return new TopicTable<>(properties.topics().endpointStatus(), EndpointStatus.class, kafka);
    }

    @Bean
    TopicTable<Subscription> subscriptionTable(KafkaProperties kafka, CampanelloKafkaProperties properties) {
        return new TopicTable<>(properties.topics().subscriptions(), Subscription.class, kafka);
    }
}
