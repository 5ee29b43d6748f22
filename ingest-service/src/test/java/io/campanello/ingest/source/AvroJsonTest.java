package io.campanello.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

    private static String json(Object datum, Schema schema) {
        return AvroJson.of(datum, schema).toString();
    }

    private static Schema logical(Schema.Type type, String logicalType) {
        Schema schema = Schema.create(type);
        schema.addProp("logicalType", logicalType);
        return new Schema.Parser().parse(schema.toString());
    }

    @Test
    void writesAUnionAsItsValueWithoutAvrosTypeWrapper() {
        Schema union = SchemaBuilder.unionOf()
                .nullType()
                .and()
                .stringType()
                .and()
                .longType()
                .endUnion();

        assertThat(json(null, union)).isEqualTo("null");
        assertThat(json(new Utf8("x"), union)).isEqualTo("\"x\"");
        assertThat(json(7L, union)).isEqualTo("7");
    }

    @Test
    void writesTimestampsDatesAndTimesAsIso8601() {
        long millis = Instant.parse("2026-11-28T10:15:30.250Z").toEpochMilli();

        assertThat(json(millis, logical(Schema.Type.LONG, "timestamp-millis")))
                .isEqualTo("\"2026-11-28T10:15:30.250Z\"");
        assertThat(json(millis * 1000 + 7, logical(Schema.Type.LONG, "timestamp-micros")))
                .isEqualTo("\"2026-11-28T10:15:30.250007Z\"");
        assertThat(json(-1L, logical(Schema.Type.LONG, "timestamp-micros")))
                .isEqualTo("\"1969-12-31T23:59:59.999999Z\"");
        assertThat(json(millis * 1_000_000, logical(Schema.Type.LONG, "timestamp-nanos")))
                .isEqualTo("\"2026-11-28T10:15:30.250Z\"");
        assertThat(json(millis, logical(Schema.Type.LONG, "local-timestamp-millis")))
                .isEqualTo("\"2026-11-28T10:15:30.250\"");
        assertThat(json(20_785, logical(Schema.Type.INT, "date"))).isEqualTo("\"2026-11-28\"");
        assertThat(json(3_600_500, logical(Schema.Type.INT, "time-millis"))).isEqualTo("\"01:00:00.500\"");
        assertThat(json(3_600_000_001L, logical(Schema.Type.LONG, "time-micros")))
                .isEqualTo("\"01:00:00.000001\"");
    }

    @Test
    void writesDecimalsAsStringsKeepingTheirScale() {
        Schema bytes = LogicalTypes.decimal(10, 2).addToSchema(Schema.create(Schema.Type.BYTES));
        Schema fixed = LogicalTypes.decimal(10, 3).addToSchema(Schema.createFixed("Amount", null, "shop", 8));
        var conversion = new Conversions.DecimalConversion();

        assertThat(json(conversion.toBytes(new BigDecimal("12.50"), bytes, bytes.getLogicalType()), bytes))
                .isEqualTo("\"12.50\"");
        assertThat(json(conversion.toFixed(new BigDecimal("-0.001"), fixed, fixed.getLogicalType()), fixed))
                .isEqualTo("\"-0.001\"");
    }

    @Test
    void writesBytesAndFixedAsBase64AndADurationAsItsParts() {
        Schema fixed = Schema.createFixed("Hash", null, "shop", 2);
        Schema duration = LogicalTypes.duration().addToSchema(Schema.createFixed("Period", null, "shop", 12));
        byte[] parts = ByteBuffer.allocate(12)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(1)
                .putInt(2)
                .putInt(3_000)
                .array();

        assertThat(json(ByteBuffer.wrap(new byte[] {1, 2, (byte) 0xff}), Schema.create(Schema.Type.BYTES)))
                .isEqualTo("\"AQL/\"");
        assertThat(json(new GenericData.Fixed(fixed, new byte[] {(byte) 0xfb, (byte) 0xff}), fixed))
                .isEqualTo("\"+/8=\"");
        assertThat(json(new GenericData.Fixed(duration, parts), duration))
                .isEqualTo("{\"months\":1,\"days\":2,\"milliseconds\":3000}");
    }

    @Test
    void writesNumbersThatJsonCannotHoldAsStrings() {
        assertThat(json(Double.NaN, Schema.create(Schema.Type.DOUBLE))).isEqualTo("\"NaN\"");
        assertThat(json(Float.NEGATIVE_INFINITY, Schema.create(Schema.Type.FLOAT)))
                .isEqualTo("\"-Infinity\"");
        assertThat(json(0.1f, Schema.create(Schema.Type.FLOAT))).isEqualTo("0.1");
        assertThat(json(Long.MAX_VALUE, Schema.create(Schema.Type.LONG))).isEqualTo("9223372036854775807");
    }

    @Test
    void writesRecordsArraysMapsAndEnumsInSchemaOrder() {
        Schema status = SchemaBuilder.enumeration("Status").symbols("NEW", "PAID");
        Schema schema = SchemaBuilder.record("Order")
                .namespace("shop")
                .fields()
                .requiredString("id")
                .name("status")
                .type(status)
                .noDefault()
                .name("lines")
                .type()
                .array()
                .items()
                .intType()
                .noDefault()
                .name("tags")
                .type()
                .map()
                .values()
                .stringType()
                .noDefault()
                .optionalBoolean("gift")
                .endRecord();
        GenericData.Record order = new GenericData.Record(schema);
        order.put("id", new Utf8("o-1"));
        order.put("status", new GenericData.EnumSymbol(status, "PAID"));
        order.put("lines", new GenericData.Array<>(schema.getField("lines").schema(), List.of(1, 2)));
        order.put("tags", Map.of(new Utf8("channel"), new Utf8("web")));
        order.put("gift", true);

        assertThat(json(order, schema))
                .isEqualTo("{\"id\":\"o-1\",\"status\":\"PAID\",\"lines\":[1,2],\"tags\":{\"channel\":\"web\"},"
                        + "\"gift\":true}");
    }
}
