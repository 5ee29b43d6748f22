package io.campanello.ingest.source;

/** How the records of a source topic carry events. */
public enum SourceFormat {

    /** The value is an event in Campanello's JSON shape (CloudEvents attributes, {@code type} required). */
    CAMPANELLO_JSON,

    /** Any JSON value, which becomes the event's data; the mapping says where its type (and the rest) is. */
    JSON
}
