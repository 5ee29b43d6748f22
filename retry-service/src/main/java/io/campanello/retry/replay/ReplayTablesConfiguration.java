package io.campanello.retry.replay;

import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.ReplayJob;
import io.campanello.schemas.v1.ReplayMark;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Replay jobs and the dead letters they sent, read from their compacted topics. */
@Configuration(proxyBeanMethods = false)
class ReplayTablesConfiguration {

    @Bean
    TopicTable<ReplayJob> replayJobTable(KafkaProperties kafka, CampanelloKafkaProperties properties) {
        return new TopicTable<>(properties.topics().replays(), ReplayJob.class, kafka);
    }

    @Bean
    TopicTable<ReplayMark> replayMarkTable(KafkaProperties kafka, CampanelloKafkaProperties properties) {
        return new TopicTable<>(properties.topics().replayed(), ReplayMark.class, kafka);
    }
}
