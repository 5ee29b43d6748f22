package io.campanello.ingest.source;

/** How the records of a source topic carry events. */
public enum SourceFormat {

    /** The value is an event in Campanello's JSON shape (CloudEvents attributes, {@code type} required). */
    CAMPANELLO_JSON,

    /**
     * CloudEvents in Kafka's protocol binding: binary mode ({@code ce_*} headers, the data in the value) or
     * structured mode ({@code content-type: application/cloudevents+json}, the whole event in the value).
     */
    CLOUDEVENTS,

    /** Any JSON value, which becomes the event's data; the mapping says where its type (and the rest) is. */
    JSON,

    /**
     * Avro in Confluent's wire format (magic byte, schema id, binary datum), its writer schema from the schema
     * registry ({@code campanello.ingest.schema-registry.*}); the record as JSON is the event's data.
     */
    AVRO,

    /**
     * Debezium's outbox event router: id and type in headers ({@code id}, {@code type}), payload as data, aggregate id
     * (the key) as subject.
     */
    DEBEZIUM_OUTBOX,

    /**
     * Debezium's change events: {@code op} c, u or d with {@code before}/{@code after} become {@code
     * <table>.created|updated|deleted}, the row as data, the primary key as subject.
     */
    DEBEZIUM_CHANGE
}
