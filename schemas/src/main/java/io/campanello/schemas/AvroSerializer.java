package io.campanello.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes any generated record with Avro's single-object encoding: {@code C3 01}, the 8-byte schema
 * fingerprint, then the binary body. No schema registry is needed to read it back.
 */
public final class AvroSerializer implements Serializer<SpecificRecord> {

    private final Map<Schema, BinaryMessageEncoder<SpecificRecord>> encoders = new ConcurrentHashMap<>();

    public AvroSerializer() {
        AvroTrust.install(); // the class's own model is looked up by name
    }

    @Override
    public byte[] serialize(String topic, SpecificRecord data) {
        if (data == null) {
            return null;
        }
        BinaryMessageEncoder<SpecificRecord> encoder = encoders.computeIfAbsent(
                data.getSchema(), schema -> new BinaryMessageEncoder<>(SpecificData.getForSchema(schema), schema));
        try {
            ByteBuffer buffer = encoder.encode(data);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
