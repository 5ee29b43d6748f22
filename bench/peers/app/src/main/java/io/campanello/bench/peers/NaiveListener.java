package io.campanello.bench.peers;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * The webhook dispatcher a team writes in an afternoon, written well: a Spring Boot {@code @KafkaListener} with one
 * consumer per partition ({@code bench.concurrency}), one blocking POST per record with Spring's {@code RestClient}
 * over reactor-netty's keep-alive connections (what Spring Boot picks when reactor-netty is on the class path), and
 * spring-kafka's defaults for the rest (offsets committed after each poll's batch, a failed record retried by the
 * default error handler). Not Campanello's code; a peer for {@code bench/peers.sh}.
 *
 * <p>It first used the JDK's {@code HttpClient}, which now and then failed a POST on a kept-alive connection with
 * "HTTP/1.1 header parser received no bytes" after the receiver had taken it; the retry then delivered that record
 * twice, and most runs of the benchmark failed on the peer's duplicates.
 */
@SpringBootApplication
public class NaiveListener {

    private static final Logger log = LoggerFactory.getLogger(NaiveListener.class);

    private final RestClient http;

    NaiveListener(@Value("${bench.url}") String url) {
        ReactorClientHttpRequestFactory requests = new ReactorClientHttpRequestFactory();
        requests.setConnectTimeout(Duration.ofSeconds(5));
        requests.setReadTimeout(Duration.ofSeconds(10));
        this.http = RestClient.builder().requestFactory(requests).baseUrl(url).build();
    }

    public static void main(String[] args) {
        SpringApplication.run(NaiveListener.class, args);
    }

    @KafkaListener(topics = "${bench.topic}", groupId = "${bench.group}", concurrency = "${bench.concurrency}")
    void deliver(String event) {
        try {
            http.post()
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(event)
                    .retrieve()
                    .toBodilessEntity();
        } catch (RestClientException e) {
            // Retried by spring-kafka's default error handler: a POST that reached the endpoint is then sent twice.
            log.warn("POST failed, the record is tried again: {}", e.toString());
            throw e;
        }
    }
}
