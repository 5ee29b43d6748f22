package io.campanello.bench.peers;

/**
 * The one record every path carries: an event in Campanello's ingest shape ({@code type}, {@code subject},
 * {@code data}), about 500 bytes of JSON, whose data holds the phase, the record's sequence number in it and the
 * producer's {@link System#nanoTime()} taken just before the send.
 */
final class Events {

    static final String ORDER_TYPE = "bench.order";
    static final String FAN_OUT_TYPE = "bench.fan";

    private Events() {}

    static String json(String type, int phase, long seq, long sentNanos) {
        String id = String.format("%010d", seq);
        return "{\"type\":\"" + type + "\",\"subject\":\"order-" + id + "\",\"data\":{\"phase\":" + phase + ",\"seq\":" + seq
                + ",\"sentNanos\":" + sentNanos + ",\"orderId\":\"ord-" + id + "\",\"status\":\"PAID\","
                + "\"customer\":{\"id\":\"cus-" + id + "\",\"name\":\"Ada Lovelace\","
                + "\"email\":\"ada.lovelace@example.com\",\"tier\":\"gold\"},"
                + "\"amount\":150.25,\"currency\":\"EUR\",\"items\":["
                + "{\"sku\":\"SKU-100234\",\"name\":\"Brass bell, small\",\"quantity\":2,\"unitPrice\":25.50},"
                + "{\"sku\":\"SKU-200871\",\"name\":\"Bell rope, 2 m\",\"quantity\":1,\"unitPrice\":99.25}],"
                + "\"shipping\":{\"street\":\"12 Rue de la Paix\",\"city\":\"Paris\",\"postcode\":\"75002\","
                + "\"country\":\"FR\",\"method\":\"express\"},\"placedAt\":\"2026-11-28T10:15:30.123Z\","
                + "\"channel\":\"web\",\"note\":\"leave at the front desk\"}}";
    }
}
