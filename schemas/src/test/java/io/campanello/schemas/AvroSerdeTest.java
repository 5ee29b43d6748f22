package io.campanello.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final Instant TIME = Instant.parse("2026-11-23T10:15:30.123Z");

    static EventEnvelope event() {
        return EventEnvelope.newBuilder()
                .setId("evt_1")
                .setTenant("default")
                .setType("order.created")
                .setSubject("order-42")
                .setTime(TIME)
                .setReceivedAt(TIME)
                .setData("{\"amount\":150}")
                .setAttributes(Map.of("region", "eu"))
                .build();
    }

    @Test
    void writesSingleObjectEncodingAndReadsItBack() {
        DeliveryTask task = DeliveryTask.newBuilder()
                .setDeliveryId("dlv_1")
                .setSubscriptionId("sub_1")
                .setTenant("default")
                .setEvent(event())
                .setAttempts(2)
                .setNotBefore(TIME.plusSeconds(5))
                .build();

        byte[] bytes = new AvroSerializer().serialize("t", task);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        DeliveryTask read = new AvroDeserializer().deserialize("t", bytes, DeliveryTask.class);
        assertThat(read).isEqualTo(task);
        assertThat(read.getEvent().getAttributes()).containsEntry("region", "eu");
    }

    @Test
    void keepsTimestampsOfNestedRecords() {
        var secret = io.campanello.schemas.v1.SigningSecret.newBuilder()
                .setKeyId("k1")
                .setNonce(java.nio.ByteBuffer.wrap(new byte[] {1}))
                .setCiphertext(java.nio.ByteBuffer.wrap(new byte[] {2}))
                .setExpiresAt(TIME)
                .build();
        var subscription = io.campanello.schemas.v1.Subscription.newBuilder()
                .setId("sub_1")
                .setTenant("t")
                .setUrl("https://example.com")
                .setEventTypes(java.util.List.of("a"))
                .setSecrets(java.util.List.of(secret))
                .setCreatedAt(TIME)
                .build();

        byte[] bytes = new AvroSerializer().serialize("t", subscription);

        assertThat(new AvroDeserializer()
                        .deserialize("t", bytes, io.campanello.schemas.v1.Subscription.class)
                        .getSecrets()
                        .get(0)
                        .getExpiresAt())
                .isEqualTo(TIME);
    }

    @Test
    void refusesBytesThatAreNotItsRecordType() {
        byte[] envelope = new AvroSerializer().serialize("t", event());
        AvroDeserializer deserializer = new AvroDeserializer();

        assertThat(deserializer.deserialize("t", envelope)).isEqualTo(event());
        assertThatThrownBy(() -> deserializer.deserialize("t", envelope, DeliveryTask.class))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("DeliveryTask");
        assertThatThrownBy(() -> deserializer.deserialize("t", "{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        byte[] truncated = java.util.Arrays.copyOf(envelope, envelope.length - 3);
        assertThatThrownBy(() -> deserializer.deserialize("t", truncated)).isInstanceOf(SerializationException.class);
    }

    /** What the previous release wrote stays readable: an upgrade must not lose its subscriptions or attempts. */
    @Test
    void readsRecordsWrittenWithAnEarlierSchema() {
        org.apache.avro.Schema earlier = AvroDeserializer.earlierSchema("Subscription-1.avsc");
        org.apache.avro.Schema secret = earlier.getField("secrets").schema().getElementType();
        var sealed = new org.apache.avro.generic.GenericData.Record(secret);
        sealed.put("keyId", "k1");
        sealed.put("nonce", java.nio.ByteBuffer.wrap(new byte[12]));
        sealed.put("ciphertext", java.nio.ByteBuffer.wrap(new byte[48]));

        var read = readAsCurrent(subscriptionOf(earlier)
                .set("status", active(earlier))
                .set("secrets", java.util.List.of(sealed))
                .set("timeoutMillis", 5000)
                .set("revision", 3)
                .build());

        assertThat(read.getId()).isEqualTo("sub_1");
        assertThat(read.getTimeoutMillis()).isEqualTo(5000);
        assertThat(read.getRevision()).isEqualTo(3);
        assertThat(read.getCreatedAt()).isEqualTo(Instant.ofEpochMilli(TIME.toEpochMilli()));
        assertThat(read.getMaxConcurrency()).as("added since: its default").isNull();
        assertThat(read.getSecrets()).hasSize(1);
    }

    /** The release before sealed headers wrote them in clear: they are still read, and nothing sealed is made up. */
    @Test
    void readsClearHeadersWrittenBeforeHeadersWereSealed() {
        org.apache.avro.Schema earlier = AvroDeserializer.earlierSchema("Subscription-2.avsc");

        var read = readAsCurrent(subscriptionOf(earlier)
                .set("headers", java.util.Map.of("authorization", "Bearer abc"))
                .build());

        assertThat(read.getHeaders()).containsEntry("authorization", "Bearer abc");
        assertThat(read.getSealedHeaders()).isEmpty();
    }

    /** The release before activation times wrote none: its subscriptions are read with no activation boundary. */
    @Test
    void readsSubscriptionsWrittenBeforeActivationWasTimed() {
        org.apache.avro.Schema earlier = AvroDeserializer.earlierSchema("Subscription-3.avsc");

        var read = readAsCurrent(
                subscriptionOf(earlier).set("status", active(earlier)).build());

        assertThat(read.getStatus()).isEqualTo(io.campanello.schemas.v1.SubscriptionStatus.ACTIVE);
        assertThat(read.getActivatedAt()).isNull();
    }

    /** A subscription as an earlier release wrote it, with the fields every version requires. */
    private static org.apache.avro.generic.GenericRecordBuilder subscriptionOf(org.apache.avro.Schema earlier) {
        return new org.apache.avro.generic.GenericRecordBuilder(earlier)
                .set("id", "sub_1")
                .set("tenant", "acme")
                .set("url", "https://example.com/hook")
                .set("eventTypes", java.util.List.of("order.*"))
                .set("secrets", java.util.List.of())
                .set("createdAt", TIME.toEpochMilli());
    }

    private static org.apache.avro.generic.GenericData.EnumSymbol active(org.apache.avro.Schema earlier) {
        return new org.apache.avro.generic.GenericData.EnumSymbol(
                earlier.getField("status").schema(), "ACTIVE");
    }

    /** Encodes the record with its own (earlier) schema and reads it as this release does. */
    private static io.campanello.schemas.v1.Subscription readAsCurrent(org.apache.avro.generic.GenericRecord old) {
        byte[] bytes;
        try {
            bytes = new org.apache.avro.message.BinaryMessageEncoder<org.apache.avro.generic.GenericRecord>(
                            org.apache.avro.generic.GenericData.get(), old.getSchema())
                    .encode(old)
                    .array();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new AvroDeserializer()
                .deserialize("webhooks.subscriptions", bytes, io.campanello.schemas.v1.Subscription.class);
    }

    @Test
    void namesRetryTiersByTheirDelay() {
        assertThat(Topics.retryTier(Topics.RETRY_PREFIX, Duration.ofSeconds(5))).isEqualTo("webhooks.retry.5s");
        assertThat(Topics.retryTier(Topics.RETRY_PREFIX, Duration.ofMinutes(2))).isEqualTo("webhooks.retry.2m");
        assertThat(Topics.retryTier(Topics.RETRY_PREFIX, Duration.ofHours(6))).isEqualTo("webhooks.retry.6h");
        assertThat(Topics.retryTier(Topics.RETRY_PREFIX, Duration.ofMillis(1500)))
                .isEqualTo("webhooks.retry.1500ms");
    }

    /** Every generated record class, found on the classpath, must be readable; a new schema cannot be forgotten. */
    @Test
    void readsEveryGeneratedRecordType() throws Exception {
        java.util.List<String> generated;
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(AvroSerdeTest.class
                        .getResource("/io/campanello/schemas/v1/EventEnvelope.class")
                        .toURI())
                .getParent())) {
            generated = files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$"))
                    .map(name -> "io.campanello.schemas.v1." + name.substring(0, name.length() - ".class".length()))
                    .filter(name -> {
                        try {
                            return org.apache.avro.specific.SpecificRecord.class.isAssignableFrom(Class.forName(name))
                                    && !name.endsWith("SigningSecret")
                                    && !name.endsWith("SealedValue");
                        } catch (ClassNotFoundException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();
        }
        assertThat(generated).contains("io.campanello.schemas.v1.ReplayJob");
        assertThat(AvroDeserializer.RECORD_TYPES)
                .extracting(Class::getName)
                .containsExactlyInAnyOrderElementsOf(generated);
    }
}
