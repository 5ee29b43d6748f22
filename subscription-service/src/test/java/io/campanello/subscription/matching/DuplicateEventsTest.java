package io.campanello.subscription.matching;

import static org.assertj.core.api.Assertions.assertThat;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.v1.EventEnvelope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DuplicateEventsTest {

    private static final Duration WINDOW = Duration.ofHours(24);
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Counter dropped = meters.counter("campanello.events.deduplicated");
    private TopologyTestDriver driver;
    private TestInputTopic<String, SpecificRecord> events;
    private TestOutputTopic<String, SpecificRecord> matched;

    @BeforeEach
    void start() {
        Serde<SpecificRecord> avro = Serdes.serdeFrom(new AvroSerializer(), new AvroDeserializer());
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(DuplicateEvents.STORE, WINDOW, WINDOW, false),
                Serdes.String(),
                Serdes.Long()));
        builder.stream("events", Consumed.with(Serdes.String(), avro))
                .processValues(() -> new DuplicateEvents(WINDOW, dropped), DuplicateEvents.STORE)
                .to("matched", Produced.with(Serdes.String(), avro));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "dedupe-test");
        driver = new TopologyTestDriver(builder.build(), config);
        events = driver.createInputTopic("events", Serdes.String().serializer(), avro.serializer());
        matched = driver.createOutputTopic("matched", Serdes.String().deserializer(), avro.deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static EventEnvelope event(String id, String data) {
        return EventEnvelope.newBuilder()
                .setId(id)
                .setTenant("t")
                .setType("order.created")
                .setTime(T0)
                .setReceivedAt(T0)
                .setData(data)
                .setAttributes(Map.of())
                .build();
    }

    private List<String> matchedData() {
        return matched.readValuesToList().stream()
                .map(value -> ((EventEnvelope) value).getData())
                .toList();
    }

    @Test
    void aCopyAcceptedWithinTheWindowIsDroppedAndCounted() {
        events.pipeInput("t/evt_a", event("evt_a", "first"), T0);
        events.pipeInput("t/evt_b", event("evt_b", "other"), T0.plusSeconds(1));
        events.pipeInput("t/evt_a", event("evt_a", "retry"), T0.plus(Duration.ofHours(23)));

        assertThat(matchedData()).containsExactly("first", "other");
        assertThat(dropped.count()).isEqualTo(1);
    }

    @Test
    void aCopyAcceptedAfterTheWindowIsMatchedAgain() {
        events.pipeInput("t/evt_a", event("evt_a", "first"), T0);
        events.pipeInput("t/evt_a", event("evt_a", "next day"), T0.plus(WINDOW).plusSeconds(1));
        events.pipeInput(
                "t/evt_a",
                event("evt_a", "retry of the next day"),
                T0.plus(WINDOW).plusSeconds(2));

        assertThat(matchedData()).containsExactly("first", "next day");
        assertThat(dropped.count()).isEqualTo(1);
    }

    @Test
    void aCopyStampedEarlierByAnotherInstancesClockIsDropped() {
        events.pipeInput("t/evt_a", event("evt_a", "first"), T0);
        events.pipeInput("t/evt_a", event("evt_a", "skewed"), T0.minusSeconds(2));

        assertThat(matchedData()).containsExactly("first");
    }

    @Test
    void theSameRecordReadAgainIsNotACopyOfItself() {
        assertThat(DuplicateEvents.isCopy(
                        List.of(KeyValue.pair(T0.toEpochMilli(), 41L)).iterator(), 41))
                .as("read again after a crash, before the commit: matched again (at least once)")
                .isFalse();
        assertThat(DuplicateEvents.isCopy(
                        List.of(KeyValue.pair(T0.toEpochMilli(), 41L)).iterator(), 42))
                .isTrue();
        assertThat(DuplicateEvents.isCopy(List.<KeyValue<Long, Long>>of().iterator(), 42))
                .isFalse();
    }
}
