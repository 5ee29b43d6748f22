package io.campanello.dispatcher.delivery;

import io.campanello.kafka.UnreadableRecordException;
import io.campanello.schemas.v1.DeliveryTask;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reads fresh deliveries and due retries (separate topics, so retries never queue behind a fresh backlog) and hands
 * each to the dispatcher; the offset is committed once the attempt and its follow-up are written.
 */
@Component
class DeliveryListener {

    private final Dispatcher dispatcher;

    DeliveryListener(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @KafkaListener(
            id = "dispatcher",
            groupId = "campanello-dispatcher",
            topics = {
                "${campanello.kafka.topics.deliveries:webhooks.deliveries}",
                "${campanello.kafka.topics.redeliveries:webhooks.redeliveries}"
            })
    void onTask(ConsumerRecord<String, SpecificRecord> record) throws InterruptedException {
        if (!(record.value() instanceof DeliveryTask task)) {
            throw new UnreadableRecordException("not a DeliveryTask");
        }
        try {
            dispatcher.dispatch(task).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not record the outcome of a delivery", e.getCause());
        }
    }
}
