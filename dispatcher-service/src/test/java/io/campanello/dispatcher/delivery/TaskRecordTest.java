package io.campanello.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EndpointHealth;
import io.campanello.schemas.v1.EndpointState;
import io.campanello.schemas.v1.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskRecordTest {

    private static final String TOPIC = "webhooks.deliveries";
    private static final Instant TIME = Instant.parse("2026-11-28T10:00:00Z");

    private final AvroDeserializer avro = new AvroDeserializer();

    private static DeliveryTask task() {
        return DeliveryTask.newBuilder()
                .setDeliveryId("dlv_1")
                .setSubscriptionId("sub_1")
                .setTenant("default")
                .setEvent(EventEnvelope.newBuilder()
                        .setId("evt_1")
                        .setTenant("default")
                        .setType("order.created")
                        .setSubject("order-42")
                        .setTime(TIME)
                        .setReceivedAt(TIME)
                        .setData("{}")
                        .setAttributes(Map.of())
                        .build())
                .setAttempts(1)
                .build();
    }

    @Test
    void readsADeliveryTask() {
        byte[] bytes = new AvroSerializer().serialize(TOPIC, task());

        assertThat(TaskRecord.read(avro, TOPIC, bytes)).isEqualTo(new TaskRecord.Task(task()));
    }

    @Test
    void aRecordWithoutAValueIsATombstone() {
        assertThat(TaskRecord.read(avro, TOPIC, null)).isInstanceOf(TaskRecord.Tombstone.class);
    }

    @Test
    void randomBytesAreUnreadable() {
        assertThat(TaskRecord.read(avro, TOPIC, "not a task".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TaskRecord.Unreadable.class);
    }

    @Test
    void anAvroRecordOfAnUnknownSchemaIsUnreadable() {
        byte[] bytes = new AvroSerializer().serialize(TOPIC, task());
        Arrays.fill(bytes, 2, 10, (byte) 0x5A); // another schema fingerprint

        assertThat(TaskRecord.read(avro, TOPIC, bytes))
                .isInstanceOfSatisfying(
                        TaskRecord.Unreadable.class,
                        unreadable ->
                                assertThat(unreadable.reason().getMessage()).contains("unknown schema"));
    }

    @Test
    void anotherCampanelloRecordTypeIsUnreadableAsATask() {
        byte[] health = new AvroSerializer()
                .serialize(
                        TOPIC,
                        EndpointHealth.newBuilder()
                                .setSubscriptionId("sub_1")
                                .setTenant("default")
                                .setUrl("https://example.com/hook")
                                .setState(EndpointState.HEALTHY)
                                .setUpdatedAt(TIME)
                                .build());

        assertThat(TaskRecord.read(avro, TOPIC, health))
                .isInstanceOfSatisfying(
                        TaskRecord.Unreadable.class,
                        unreadable ->
                                assertThat(unreadable.reason().getMessage()).contains("expected DeliveryTask"));
    }
}
