package io.campanello.ingest.source;

import static io.campanello.ingest.source.SourceRecordMapper.unreadable;

import io.campanello.kafka.UnreadableRecordException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a record value in Confluent's wire format (magic byte 0, the writer schema's id as 4 bytes big-endian, the
 * datum in Avro's binary encoding) with its writer schema from the schema registry, into the event's data as JSON
 * ({@link AvroJson}). By default the event's type is the schema's full name ({@code com.shop.OrderPlaced}) and its
 * data the whole record; the source's mapping overrides either, with JSON pointers into the record as JSON.
 */
final class ConfluentAvro {

    /** The first byte of every value in Confluent's wire format. */
    static final byte MAGIC_BYTE = 0;

    /** The magic byte and the schema id. */
    static final int HEADER_SIZE = 5;

    private final SchemaRegistry registry;

    ConfluentAvro(SchemaRegistry registry) {
        this.registry = registry;
    }

    SourceRecordMapper.Read read(ConsumerRecord<String, byte[]> record) {
        byte[] value = record.value();
        if (value == null) {
            throw unreadable("invalid_event", "a record without value is not an event");
        }
        if (value.length < HEADER_SIZE || value[0] != MAGIC_BYTE) {
            throw unreadable(
                    "invalid_avro",
                    "the value is not in the Confluent wire format (magic byte 0 and a 4-byte schema id first)");
        }
        int id = ByteBuffer.wrap(value, 1, 4).getInt();
        Schema schema = registry.schema(id);
        JsonNode data = json(decode(value, id, schema), id, schema);
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        if (isNamed(schema)) {
            event.put("type", schema.getFullName());
        }
        event.set("data", data);
        return new SourceRecordMapper.Read(event, data);
    }

    private static Object decode(byte[] value, int id, Schema schema) {
        BinaryDecoder decoder =
                DecoderFactory.get().binaryDecoder(value, HEADER_SIZE, value.length - HEADER_SIZE, null);
        Object datum;
        boolean leftOver;
        try {
            datum = new GenericDatumReader<>(schema, schema, GenericData.get()).read(null, decoder);
            leftOver = !decoder.isEnd();
        } catch (IOException | RuntimeException e) {
            // Bytes from outside: a short or corrupt datum fails in Avro's decoder in many ways (EOF, a bad union
            // index, a negative length); each says only that this value is not a datum of its schema.
            throw notADatum(id, e);
        }
        if (leftOver) {
            throw unreadable("invalid_avro", "the value has bytes left over after a datum of schema " + id);
        }
        return datum;
    }

    private static JsonNode json(Object datum, int id, Schema schema) {
        try {
            return AvroJson.of(datum, schema);
        } catch (DateTimeException | ArithmeticException e) {
            throw notADatum(id, e);
        }
    }

    private static UnreadableRecordException notADatum(int id, Exception e) {
        return unreadable(
                "invalid_avro",
                "the value is not a datum of schema " + id + " (" + e.getClass().getSimpleName() + ")");
    }

    private static boolean isNamed(Schema schema) {
        return schema.getType() == Schema.Type.RECORD
                || schema.getType() == Schema.Type.ENUM
                || schema.getType() == Schema.Type.FIXED;
    }
}
