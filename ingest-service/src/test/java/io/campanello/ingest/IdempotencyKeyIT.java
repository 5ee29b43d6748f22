package io.campanello.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** {@code Idempotency-Key} on {@code POST /v1/events}: the same key is the same event; a malformed one is refused. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + IngestApplication.CONFIG_NAME,
            "campanello.api.key=" + IdempotencyKeyIT.KEY
        })
@EmbeddedKafka(partitions = 1)
@AutoConfigureWebTestClient
@DirtiesContext
class IdempotencyKeyIT {

    static final String KEY = "cmp_idempotency_test";

    @Autowired
    WebTestClient web;

    private WebTestClient.ResponseSpec post(String body, String idempotencyKey) {
        return web.post()
                .uri("/v1/events")
                .header("Authorization", "Bearer " + KEY)
                .header("Idempotency-Key", idempotencyKey)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private String acceptedId(String body, String idempotencyKey) {
        byte[] answer = post(body, idempotencyKey)
                .expectStatus()
                .isAccepted()
                .expectBody()
                .returnResult()
                .getResponseBody();
        return new String(answer, StandardCharsets.UTF_8).replaceAll(".*\"(evt_[0-9a-f]+)\".*", "$1");
    }

    @Test
    void aRequestSentAgainWithTheSameKeyIsAnsweredWithTheSameId() {
        String key = UUID.randomUUID().toString();
        String body = "{\"type\": \"order.created\", \"subject\": \"order-1\", \"data\": {\"n\": 1}}";

        String first = acceptedId(body, key);

        assertThat(acceptedId(body, key)).isEqualTo(first).startsWith("evt_");
        assertThat(acceptedId(body.replace("\"n\": 1", "\"n\": 2"), key))
                .as("the key names the event, whatever the body")
                .isEqualTo(first);
        assertThat(acceptedId(body, UUID.randomUUID().toString())).isNotEqualTo(first);
    }

    @Test
    void refusesAMalformedKeyWithAProblemThatDoesNotEchoIt() {
        post("{\"type\": \"order.created\"}", "has spaces 4111111111111111")
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("invalid_idempotency_key")
                .jsonPath("$.detail")
                .value(detail ->
                        assertThat((String) detail).contains("1 to 255").doesNotContain("4111"));
        post("{\"type\": \"order.created\"}", "k".repeat(256))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("invalid_idempotency_key");
    }

    @Test
    void describesTheHeaderInTheOpenApiDocument() {
        web.get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.paths['/v1/events'].post.parameters[?(@.name == 'Idempotency-Key')].in")
                .isEqualTo("header")
                .jsonPath("$.paths['/v1/events'].post.parameters[?(@.name == 'Idempotency-Key')].description")
                .value(description -> assertThat(description.toString()).contains("dedupe window"));
    }
}
