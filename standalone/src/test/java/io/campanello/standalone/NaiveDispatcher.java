package io.campanello.standalone;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EventEnvelope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The benchmark's baseline, deliberately naive: the dispatcher most teams write first. One Kafka consumer in the
 * dispatcher's group reads {@code webhooks.deliveries} and, inside the poll loop, makes one blocking HTTP call per
 * record (JDK HttpClient, the subscription's timeout) and commits that record's offset before the next one. No
 * retries, no signature: a failure is counted and skipped. Not Campanello's code; only for {@code bench/dispatch.sh}.
 */
final class NaiveDispatcher implements AutoCloseable {

    /** Where one subscription's deliveries go. */
    record Endpoint(String url, Duration timeout) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Endpoint> endpoints;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final AvroDeserializer avro = new AvroDeserializer();
    private final Thread thread;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;

    NaiveDispatcher(String bootstrapServers, Map<String, Endpoint> endpointsBySubscription) {
        this.endpoints = Map.copyOf(endpointsBySubscription);
        this.consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "campanello-dispatcher",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "naive-dispatcher");
        thread.start();
    }

    long delivered() {
        return delivered.get();
    }

    long failed() {
        return failed.get();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.DELIVERIES));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    deliver(avro.deserialize(record.topic(), record.value(), DeliveryTask.class));
                    consumer.commitSync(Map.of(
                            new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1)));
                }
            }
        } catch (WakeupException stopping) {
            // close() wakes the consumer up
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void deliver(DeliveryTask task) {
        Endpoint endpoint = endpoints.get(task.getSubscriptionId());
        if (endpoint == null) {
            failed.incrementAndGet();
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.url()))
                .timeout(endpoint.timeout())
                .header("content-type", "application/json")
                .header("webhook-id", task.getDeliveryId())
                .POST(HttpRequest.BodyPublishers.ofString(body(task.getEvent())))
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            (response.statusCode() / 100 == 2 ? delivered : failed).incrementAndGet();
        } catch (IOException e) {
            failed.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** The event in CloudEvents JSON, as Campanello sends it (attributes first, so the id is where receivers look). */
    private static String body(EventEnvelope event) {
        StringBuilder body = new StringBuilder(256)
                .append("{\"specversion\":\"1.0\",\"id\":\"")
                .append(event.getId())
                .append("\",\"type\":\"")
                .append(event.getType())
                .append("\",\"source\":\"")
                .append(event.getSource() != null ? event.getSource() : "campanello")
                .append('"');
        if (event.getSubject() != null) {
            body.append(",\"subject\":\"").append(event.getSubject()).append('"');
        }
        body.append(",\"time\":\"")
                .append(DateTimeFormatter.ISO_INSTANT.format(event.getTime()))
                .append('"');
        if (event.getData() != null) {
            body.append(",\"datacontenttype\":\"application/json\",\"data\":").append(event.getData());
        }
        return body.append('}').toString();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
