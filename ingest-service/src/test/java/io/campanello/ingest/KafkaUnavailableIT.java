package io.campanello.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Ingest's writes go to a port where no broker listens (the event-type table still reads the real broker, so the
 * service starts): every request is answered 503 within the configured Kafka timeout, none waits behind another.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + IngestApplication.CONFIG_NAME,
            "campanello.api.key=" + KafkaUnavailableIT.KEY,
            "campanello.ingest.kafka-timeout=" + KafkaUnavailableIT.KAFKA_TIMEOUT_SECONDS + "s"
        })
@EmbeddedKafka(partitions = 1)
@DirtiesContext
class KafkaUnavailableIT {

    static final String KEY = "cmp_unavailable_test";
    static final int KAFKA_TIMEOUT_SECONDS = 2;

    /** The timeout plus room for a busy machine; the producer's own default would hold a request for 60 s. */
    private static final Duration BOUND = Duration.ofSeconds(KAFKA_TIMEOUT_SECONDS + 4);

    @DynamicPropertySource
    static void producersWriteToNoBroker(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.producer.bootstrap-servers", () -> "127.0.0.1:" + portWithoutBroker());
    }

    private static int portWithoutBroker() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    /** One call's answer and how long it took. */
    record Timed(int status, String body, Duration took) {}

    private Mono<Timed> post(int n) {
        return Mono.defer(() -> {
            Instant start = Instant.now();
            return WebClient.create("http://127.0.0.1:" + port)
                    .post()
                    .uri("/v1/events")
                    .header("Authorization", "Bearer " + KEY)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"type\": \"order.created\", \"subject\": \"order-" + n + "\"}")
                    .exchangeToMono(response -> response.bodyToMono(String.class)
                            .map(body -> new Timed(
                                    response.statusCode().value(), body, Duration.between(start, Instant.now()))));
        });
    }

    @Test
    void everyRequestIsAnswered503WithinTheKafkaTimeoutAndNoneWaitsBehindAnother() {
        // More concurrent requests than the server has event loops: on a blocked loop they would queue.
        List<Timed> answers = Flux.range(0, 8).flatMap(this::post).collectList().block(Duration.ofSeconds(120));

        assertThat(answers).hasSize(8).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.body()).contains("\"code\":\"kafka_unavailable\"");
            assertThat(answer.took()).isLessThan(BOUND);
        });

        Timed later = post(8).block(Duration.ofSeconds(120));
        assertThat(later.status()).isEqualTo(503);
        assertThat(later.took()).isLessThan(BOUND);
    }
}
