package io.confluent.kafka.schemaregistry.client;

/**
 * Stands in for Confluent's schema registry client, which is not on Maven Central: the HTTP sink task refers to
 * this type when it starts, and never uses it with {@code publish.mode=NONE}. Benchmark only.
 */
public interface SchemaRegistryClient {}
