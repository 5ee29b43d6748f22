package io.campanello.bench.peers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * The webhook dispatcher a team writes in an afternoon, written well: a Spring Boot {@code @KafkaListener} with one
 * consumer per partition ({@code bench.concurrency}), one blocking POST per record over a shared keep-alive JDK
 * HttpClient, and spring-kafka's defaults for the rest (offsets committed after each poll's batch, a failed record
 * retried by the default error handler). Not Campanello's code; a peer for {@code bench/peers.sh}.
 */
@SpringBootApplication
public class NaiveListener {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI url;

    NaiveListener(@Value("${bench.url}") String url) {
        this.url = URI.create(url);
    }

    public static void main(String[] args) {
        SpringApplication.run(NaiveListener.class, args);
    }

    @KafkaListener(topics = "${bench.topic}", groupId = "${bench.group}", concurrency = "${bench.concurrency}")
    void deliver(String event) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event))
                .build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("the endpoint answered " + response.statusCode());
        }
    }
}
