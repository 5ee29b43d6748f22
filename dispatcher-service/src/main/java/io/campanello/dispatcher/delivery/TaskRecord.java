package io.campanello.dispatcher.delivery;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.v1.DeliveryTask;
import org.apache.kafka.common.errors.SerializationException;

/** What a record of a task topic holds: a task, nothing (a tombstone), or bytes that are not a delivery task. */
sealed interface TaskRecord permits TaskRecord.Task, TaskRecord.Tombstone, TaskRecord.Unreadable {

    /** A delivery task to dispatch. */
    record Task(DeliveryTask task) implements TaskRecord {}

    /** A record without a value: nothing to deliver and nothing to keep, so it is skipped. */
    record Tombstone() implements TaskRecord {}

    /** Random bytes, an unknown schema or another record type: a dead letter, with this reason in its headers. */
    record Unreadable(SerializationException reason) implements TaskRecord {}

    static TaskRecord read(AvroDeserializer avro, String topic, byte[] value) {
        if (value == null) {
            return new Tombstone();
        }
        try {
            return new Task(avro.deserialize(topic, value, DeliveryTask.class));
        } catch (SerializationException e) {
            return new Unreadable(e);
        }
    }
}
