package io.campanello.ingest.source;

import io.campanello.ingest.IngestProperties;
import io.campanello.ingest.catalog.EventTypeCatalog;
import io.campanello.ingest.event.EventParser;
import io.campanello.ingest.event.EventWriter;
import io.campanello.kafka.CampanelloKafkaAutoConfiguration;
import io.campanello.kafka.DeadLetterWriter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Consumes every configured source topic with one listener container of {@code source-concurrency} consumers, so
 * that several partitions are read in parallel; does nothing when no source topic is configured.
 */
@Component
class SourceTopics implements SmartLifecycle {

    /** Consumer group of the source-topic listener; its committed offsets say what was ingested. */
    static final String GROUP_ID = "campanello-ingest-sources";

    private final ConcurrentMessageListenerContainer<String, byte[]> container;

    SourceTopics(
            @Qualifier(CampanelloKafkaAutoConfiguration.SOURCE_LISTENER_FACTORY)
                    ConcurrentKafkaListenerContainerFactory<String, byte[]> factory,
            IngestProperties properties,
            EventParser parser,
            EventWriter writer,
            EventTypeCatalog catalog,
            DeadLetterWriter deadLetters,
            MeterRegistry meters) {
        if (properties.sourceTopics().isEmpty()) {
            this.container = null;
            return;
        }
        this.container = factory.createContainer(properties.sourceTopics().toArray(String[]::new));
        container.getContainerProperties().setGroupId(GROUP_ID);
        container.setConcurrency(properties.sourceConcurrency());
        container.setBeanName("sourceTopics");
        var reader = new SourceRecordReader(
                parser,
                catalog,
                properties.sourceTenant(),
                properties.maxEventSize().toBytes());
        container.setupMessageListener(new SourceTopicListener(reader, writer, deadLetters, meters));
    }

    @Override
    public void start() {
        if (container != null) {
            container.start();
        }
    }

    @Override
    public void stop() {
        if (container != null) {
            container.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return container != null && container.isRunning();
    }
}
