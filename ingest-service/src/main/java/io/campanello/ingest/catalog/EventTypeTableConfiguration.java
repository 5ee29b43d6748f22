package io.campanello.ingest.catalog;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.EventType;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every ingest instance keeps the whole catalog in memory, read from its compacted topic. */
@Configuration(proxyBeanMethods = false)
class EventTypeTableConfiguration {

    @Bean
    TopicTable<EventType> eventTypeTable(KafkaProperties kafka, CampanelloKafkaProperties properties) {
        return new TopicTable<>(properties.topics().eventTypes(), EventType.class, kafka);
    }
}
