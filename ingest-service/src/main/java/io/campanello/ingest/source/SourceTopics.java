package io.campanello.ingest.source;

import io.campanello.ingest.IngestProperties;
import io.campanello.ingest.catalog.EventTypeCatalog;
import io.campanello.ingest.event.EventParser;
import io.campanello.ingest.event.EventWriter;
import io.campanello.kafka.CampanelloKafkaAutoConfiguration;
import io.campanello.kafka.DeadLetterWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Consumes every configured source topic ({@code source-topics} and {@code sources.*}) with one listener container
 * of {@code source-concurrency} consumers, so that several partitions are read in parallel, each record read as its
 * topic's format and mapping say; does nothing when no source topic is configured.
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
            MeterRegistry meters,
            SchemaRegistryProperties schemaRegistry,
            ObjectProvider<SslBundles> sslBundles) {
        List<SourceDefinition> sources = SourceDefinitions.of(properties);
        if (sources.isEmpty()) {
            this.container = null;
            return;
        }
        ConfluentAvro avro = sources.stream().anyMatch(source -> source.format() == SourceFormat.AVRO)
                ? new ConfluentAvro(new SchemaRegistry(schemaRegistry, sslBundles.getIfAvailable()))
                : null;
        Map<String, SourceRecordReader> readers = new HashMap<>();
        for (SourceDefinition source : sources) {
            readers.put(
                    source.topic(),
                    new SourceRecordReader(
                            source, parser, catalog, properties.maxEventSize().toBytes(), avro));
        }
        this.container = factory.createContainer(readers.keySet().toArray(String[]::new));
        container.getContainerProperties().setGroupId(GROUP_ID);
        container.setConcurrency(properties.sourceConcurrency());
        container.setBeanName("sourceTopics");
        container.setupMessageListener(new SourceTopicListener(Map.copyOf(readers), writer, deadLetters, meters));
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
