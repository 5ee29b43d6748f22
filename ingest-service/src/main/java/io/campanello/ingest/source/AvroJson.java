package io.campanello.ingest.source;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes an Avro datum (as {@link org.apache.avro.generic.GenericDatumReader} reads it, without conversions) as the
 * JSON a webhook receiver expects, not as Avro's own JSON encoding: a union is its value (no {@code {"type": …}}
 * wrapper); bytes and fixed are base64; decimals are strings with their scale ({@code "12.50"}), so no precision is
 * lost in a receiver that reads numbers as doubles; dates, times and timestamps are ISO 8601 strings (timestamps in
 * UTC with a {@code Z}, local ones without); {@code NaN} and infinities, which JSON has no number for, are strings;
 * a duration is {@code {"months", "days", "milliseconds"}}; map keys and enum symbols are
 * strings.
 */
final class AvroJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Conversions.DecimalConversion DECIMAL = new Conversions.DecimalConversion();
    private static final Conversions.BigDecimalConversion BIG_DECIMAL = new Conversions.BigDecimalConversion();
    private static final long MICROS = 1_000_000L;
    private static final long NANOS = 1_000_000_000L;

    private AvroJson() {}

    static JsonNode of(Object datum, Schema schema) {
        switch (schema.getType()) {
            case NULL:
                return NODES.nullNode();
            case BOOLEAN:
                return NODES.booleanNode((Boolean) datum);
            case INT:
                return ofInt((Integer) datum, schema.getLogicalType());
            case LONG:
                return ofLong((Long) datum, schema.getLogicalType());
            case FLOAT:
                float f = (Float) datum;
                return Float.isFinite(f) ? NODES.numberNode(f) : NODES.stringNode(Float.toString(f));
            case DOUBLE:
                double d = (Double) datum;
                return Double.isFinite(d) ? NODES.numberNode(d) : NODES.stringNode(Double.toString(d));
            case STRING:
            case ENUM:
                return NODES.stringNode(datum.toString());
            case BYTES:
                return ofBytes((ByteBuffer) datum, schema);
            case FIXED:
                return ofFixed((GenericFixed) datum, schema);
            case ARRAY:
                ArrayNode array = NODES.arrayNode();
                for (Object item : (Collection<?>) datum) {
                    array.add(of(item, schema.getElementType()));
                }
                return array;
            case MAP:
                ObjectNode map = NODES.objectNode();
                ((Map<?, ?>) datum).forEach((key, value) -> map.set(key.toString(), of(value, schema.getValueType())));
                return map;
            case RECORD:
                GenericRecord record = (GenericRecord) datum;
                ObjectNode object = NODES.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    object.set(field.name(), of(record.get(field.pos()), field.schema()));
                }
                return object;
            case UNION:
                int branch = GenericData.get().resolveUnion(schema, datum);
                return of(datum, schema.getTypes().get(branch));
            default:
                throw new IllegalStateException("unknown Avro type " + schema.getType());
        }
    }

    private static JsonNode ofInt(int value, LogicalType logicalType) {
        if (logicalType instanceof LogicalTypes.Date) {
            return NODES.stringNode(LocalDate.ofEpochDay(value).toString());
        }
        if (logicalType instanceof LogicalTypes.TimeMillis) {
            return NODES.stringNode(LocalTime.ofNanoOfDay(value * 1_000_000L).toString());
        }
        return NODES.numberNode(value);
    }

    private static JsonNode ofLong(long value, LogicalType logicalType) {
        if (logicalType instanceof LogicalTypes.TimestampMillis) {
            return NODES.stringNode(Instant.ofEpochMilli(value).toString());
        }
        if (logicalType instanceof LogicalTypes.TimestampMicros) {
            return NODES.stringNode(micros(value).toString());
        }
        if (logicalType instanceof LogicalTypes.TimestampNanos) {
            return NODES.stringNode(nanos(value).toString());
        }
        if (logicalType instanceof LogicalTypes.LocalTimestampMillis) {
            return NODES.stringNode(local(Instant.ofEpochMilli(value)).toString());
        }
        if (logicalType instanceof LogicalTypes.LocalTimestampMicros) {
            return NODES.stringNode(local(micros(value)).toString());
        }
        if (logicalType instanceof LogicalTypes.LocalTimestampNanos) {
            return NODES.stringNode(local(nanos(value)).toString());
        }
        if (logicalType instanceof LogicalTypes.TimeMicros) {
            return NODES.stringNode(LocalTime.ofNanoOfDay(value * 1_000L).toString());
        }
        return NODES.numberNode(value);
    }

    private static JsonNode ofBytes(ByteBuffer bytes, Schema schema) {
        LogicalType logicalType = schema.getLogicalType();
        if (logicalType instanceof LogicalTypes.Decimal) {
            return decimal(DECIMAL.fromBytes(bytes.duplicate(), schema, logicalType));
        }
        if (logicalType instanceof LogicalTypes.BigDecimal) {
            return decimal(BIG_DECIMAL.fromBytes(bytes.duplicate(), schema, logicalType));
        }
        ByteBuffer copy = bytes.duplicate();
        byte[] raw = new byte[copy.remaining()];
        copy.get(raw);
        return NODES.stringNode(Base64.getEncoder().encodeToString(raw));
    }

    private static JsonNode ofFixed(GenericFixed fixed, Schema schema) {
        if (schema.getLogicalType() instanceof LogicalTypes.Decimal) {
            return decimal(DECIMAL.fromFixed(fixed, schema, schema.getLogicalType()));
        }
        if (schema.getLogicalType() instanceof LogicalTypes.Duration) {
            ByteBuffer parts = ByteBuffer.wrap(fixed.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            ObjectNode duration = NODES.objectNode();
            duration.put("months", Integer.toUnsignedLong(parts.getInt()));
            duration.put("days", Integer.toUnsignedLong(parts.getInt()));
            duration.put("milliseconds", Integer.toUnsignedLong(parts.getInt()));
            return duration;
        }
        return NODES.stringNode(Base64.getEncoder().encodeToString(fixed.bytes()));
    }

    private static JsonNode decimal(BigDecimal value) {
        return NODES.stringNode(value.toPlainString());
    }

    private static Instant micros(long value) {
        return Instant.ofEpochSecond(Math.floorDiv(value, MICROS), Math.floorMod(value, MICROS) * 1_000L);
    }

    private static Instant nanos(long value) {
        return Instant.ofEpochSecond(Math.floorDiv(value, NANOS), Math.floorMod(value, NANOS));
    }

    private static LocalDateTime local(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
