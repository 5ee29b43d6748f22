package io.campanello.schemas;

import io.campanello.schemas.v1.DeadLetter;
import io.campanello.schemas.v1.DeliveryAttempt;
import io.campanello.schemas.v1.DeliveryHistory;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EndpointHealth;
import io.campanello.schemas.v1.EndpointStatus;
import io.campanello.schemas.v1.EventEnvelope;
import io.campanello.schemas.v1.EventType;
import io.campanello.schemas.v1.ReplayJob;
import io.campanello.schemas.v1.ReplayMark;
import io.campanello.schemas.v1.Subscription;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads any of Campanello's records written with single-object encoding; the schema fingerprint in each record
 * says which type it is. Bytes that are not such a record fail with a {@link SerializationException}: consumers
 * wrap this deserializer in an error-handling one, so such a record is dead-lettered, never retried forever.
 */
public final class AvroDeserializer implements Deserializer<SpecificRecord> {

    /** Every record type Campanello writes to a topic. Older schema versions are added here as they appear. */
    public static final List<Class<? extends SpecificRecord>> RECORD_TYPES = List.of(
            EventEnvelope.class,
            Subscription.class,
            DeliveryTask.class,
            DeliveryAttempt.class,
            DeadLetter.class,
            EventType.class,
            ReplayJob.class,
            ReplayMark.class,
            EndpointHealth.class,
            EndpointStatus.class,
            DeliveryHistory.class);

    /**
     * Earlier versions of the record types, as they were written to topics by earlier releases (resources under
     * {@code io/campanello/schemas/history/}): their records are read into the current classes by Avro's schema
     * resolution, so an upgrade reads what the previous version wrote. A changed schema adds its old text here.
     */
    public static final List<String> EARLIER_SCHEMAS = List.of(
            "Subscription-1.avsc",
            "Subscription-2.avsc",
            "Subscription-3.avsc",
            "DeliveryAttempt-1.avsc",
            "DeadLetter-1.avsc");

    private static final int HEADER_LENGTH = 10;
    private static final byte MAGIC_0 = (byte) 0xC3;
    private static final byte MAGIC_1 = (byte) 0x01;

    private final Map<Long, BinaryMessageDecoder<? extends SpecificRecord>> decoders = new HashMap<>();

    public AvroDeserializer() {
        AvroTrust.install();
        Map<String, BinaryMessageDecoder<? extends SpecificRecord>> byName = new HashMap<>();
        for (Class<? extends SpecificRecord> type : RECORD_TYPES) {
            // The generated class's own model carries the conversions of its logical types (timestamps).
            SpecificData model = SpecificData.getForClass(type);
            Schema schema = model.getSchema(type);
            BinaryMessageDecoder<? extends SpecificRecord> decoder = new BinaryMessageDecoder<>(model, schema);
            decoders.put(SchemaNormalization.parsingFingerprint64(schema), decoder);
            byName.put(schema.getFullName(), decoder);
        }
        for (String name : EARLIER_SCHEMAS) {
            Schema earlier = earlierSchema(name);
            BinaryMessageDecoder<? extends SpecificRecord> current = byName.get(earlier.getFullName());
            if (current == null) {
                throw new IllegalStateException("no current type for the earlier schema " + name);
            }
            current.addSchema(earlier);
            decoders.put(SchemaNormalization.parsingFingerprint64(earlier), current);
        }
    }

    /** An earlier schema's text, from the classpath. */
    public static Schema earlierSchema(String name) {
        try (InputStream in = AvroDeserializer.class.getResourceAsStream("history/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing earlier schema " + name);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < HEADER_LENGTH || data[0] != MAGIC_0 || data[1] != MAGIC_1) {
            throw new SerializationException("not an Avro single-object encoded record on " + topic);
        }
        long fingerprint =
                ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        BinaryMessageDecoder<? extends SpecificRecord> decoder = decoders.get(fingerprint);
        if (decoder == null) {
            throw new SerializationException("record with unknown schema fingerprint " + fingerprint + " on " + topic);
        }
        try {
            return decoder.decode(ByteBuffer.wrap(data));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("unreadable record on " + topic, e);
        }
    }

    /** Reads a record that must be of the given type. */
    public <T extends SpecificRecord> T deserialize(String topic, byte[] data, Class<T> type) {
        SpecificRecord record = deserialize(topic, data);
        if (record != null && !type.isInstance(record)) {
            throw new SerializationException("expected " + type.getSimpleName() + " but found "
                    + record.getSchema().getName() + " on " + topic);
        }
        return type.cast(record);
    }
}
