package io.campanello.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** A shop's order as an Avro producer writes it: decimal, timestamp, enum, optional, array and map fields. */
final class ShopOrders {

    static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "OrderPlaced", "namespace": "com.shop", "fields": [
              {"name": "orderId", "type": "string"},
              {"name": "total", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
              {"name": "placedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}},
              {"name": "note", "type": ["null", "string"], "default": null},
              {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Line", "fields": [
                {"name": "sku", "type": "string"}, {"name": "quantity", "type": "int"}]}}},
              {"name": "tags", "type": {"type": "map", "values": "string"}}
            ]}""");

    private ShopOrders() {}

    /** A paid order of two bells, placed 2026-11-28T10:15:30.250Z from the web shop. */
    static GenericRecord order(String orderId, String total, String note) {
        Schema decimal = SCHEMA.getField("total").schema();
        GenericRecord line =
                new GenericData.Record(SCHEMA.getField("lines").schema().getElementType());
        line.put("sku", "bell");
        line.put("quantity", 2);
        GenericRecord order = new GenericData.Record(SCHEMA);
        order.put("orderId", orderId);
        order.put(
                "total",
                new Conversions.DecimalConversion()
                        .toBytes(new BigDecimal(total), decimal, LogicalTypes.decimal(10, 2)));
        order.put("placedAt", Instant.parse("2026-11-28T10:15:30.250Z").toEpochMilli());
        order.put("status", new GenericData.EnumSymbol(SCHEMA.getField("status").schema(), "PAID"));
        order.put("note", note);
        order.put("lines", List.of(line));
        order.put("tags", Map.of("channel", "web"));
        return order;
    }
}
