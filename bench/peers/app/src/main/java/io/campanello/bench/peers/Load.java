package io.campanello.bench.peers;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Sends records 0..n-1 of one phase, as fast as it can (rate 0) or paced at a rate; each record's sentNanos is read
 * just before its send. Returns how many were refused (HTTP not 2xx, or a failed Kafka send).
 */
interface Load extends AutoCloseable {

    long send(int phase, long records, double perSecond);

    @Override
    default void close() {}

    /** Waits until record {@code i} of a paced phase is due. */
    static void pace(long startNanos, long i, double perSecond) {
        if (perSecond > 0) {
            long due = startNanos + (long) (i * 1e9 / perSecond);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    /**
     * Produces the events to a Kafka topic (acks=all, idempotent, linger 5 ms), keyed by subject; with {@code types}
     * n > 1 record i has the type {@code bench.order.<i % n>}.
     */
    final class Kafka implements Load {

        private final KafkaProducer<String, String> producer;
        private final String topic;
        private final int types;

        Kafka(String bootstrapServers, String topic) {
            this(bootstrapServers, topic, 1);
        }

        Kafka(String bootstrapServers, String topic, int types) {
            this.topic = topic;
            this.types = types;
            this.producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                            ProducerConfig.ACKS_CONFIG, "all",
                            ProducerConfig.LINGER_MS_CONFIG, 5),
                    new StringSerializer(),
                    new StringSerializer());
        }

        @Override
        public long send(int phase, long records, double perSecond) {
            AtomicLong failed = new AtomicLong();
            long start = System.nanoTime();
            for (long i = 0; i < records; i++) {
                pace(start, i, perSecond);
                String type = types > 1 ? Events.ORDER_TYPE + "." + (i % types) : Events.ORDER_TYPE;
                String value = Events.json(type, phase, i, System.nanoTime());
                producer.send(new ProducerRecord<>(topic, "order-" + i, value), (metadata, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                });
            }
            producer.flush();
            return failed.get();
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(10));
        }
    }

    /** POSTs the events over HTTP/1.1 keep-alive connections (reactor-netty), at most {@code concurrency} at once. */
    final class Http implements Load {

        private final LoopResources loops = LoopResources.create("load", 2, true);
        private final ConnectionProvider pool;
        private final HttpClient client;
        private final String url;
        private final String type;
        private final int concurrency;

        Http(String url, String type, String bearer, int concurrency) {
            this.url = url;
            this.type = type;
            this.concurrency = concurrency;
            this.pool = ConnectionProvider.builder("load")
                    .maxConnections(concurrency)
                    .pendingAcquireMaxCount(-1)
                    .build();
            this.client = HttpClient.create(pool).runOn(loops).headers(h -> {
                h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                if (bearer != null) {
                    h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + bearer);
                }
            });
        }

        private Mono<Integer> post(int phase, long seq) {
            // The send time is read before a connection is taken from the pool, as a Kafka producer's is read
            // before its batching: waiting for a connection is part of the path.
            return Mono.defer(() -> {
                        byte[] body = Events.json(type, phase, seq, System.nanoTime())
                                .getBytes(StandardCharsets.UTF_8);
                        return client.post()
                                .uri(url)
                                .send((request, out) -> {
                                    request.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
                                    return out.sendByteArray(Mono.just(body));
                                })
                                .responseSingle((response, content) ->
                                        content.then(Mono.just(response.status().code())));
                    })
                    .onErrorReturn(-1);
        }

        @Override
        public long send(int phase, long records, double perSecond) {
            if (perSecond <= 0) {
                Long refused = Flux.range(0, Math.toIntExact(records))
                        .flatMap(i -> post(phase, i), concurrency)
                        .filter(code -> code / 100 != 2)
                        .count()
                        .block();
                return refused == null ? 0 : refused;
            }
            AtomicLong refused = new AtomicLong();
            Semaphore inFlight = new Semaphore(concurrency * 4);
            long start = System.nanoTime();
            for (long i = 0; i < records; i++) {
                pace(start, i, perSecond);
                inFlight.acquireUninterruptibly();
                post(phase, i).doFinally(signal -> inFlight.release()).subscribe(code -> {
                    if (code / 100 != 2) {
                        refused.incrementAndGet();
                    }
                });
            }
            inFlight.acquireUninterruptibly(concurrency * 4);
            inFlight.release(concurrency * 4);
            return refused.get();
        }

        @Override
        public void close() {
            pool.disposeLater().block(Duration.ofSeconds(5));
            loops.disposeLater().block(Duration.ofSeconds(5));
        }
    }
}
