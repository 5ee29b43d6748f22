package io.campanello.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A tenant's event-type catalog is capped; replacing a type is always allowed and other tenants are not held. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + IngestApplication.CONFIG_NAME,
            "campanello.api.keys=acme=" + EventTypeQuotaIT.ACME + ",globex=" + EventTypeQuotaIT.GLOBEX,
            "campanello.ingest.max-event-types-per-tenant=2"
        })
@EmbeddedKafka(partitions = 1)
@DirtiesContext
class EventTypeQuotaIT {

    static final String ACME = "cmp_acme_types_quota_test";
    static final String GLOBEX = "cmp_globex_types_quota_test";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private record Answer(int status, String contentType, JsonNode body) {}

    private Answer register(String key, String name) {
        return WebClient.create("http://127.0.0.1:" + port)
                .post()
                .uri("/v1/event-types")
                .header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"" + name + "\", \"description\": \"" + name + "\"}")
                .exchangeToMono(response -> response.bodyToMono(String.class)
                        .defaultIfEmpty("{}")
                        .map(text -> new Answer(
                                response.statusCode().value(),
                                response.headers()
                                        .contentType()
                                        .map(Object::toString)
                                        .orElse(""),
                                JSON.readTree(text))))
                .block(java.time.Duration.ofSeconds(30));
    }

    @Test
    void aTenantAtItsLimitIsRefusedWithTheLimitNamedButMayReplaceItsTypes() {
        assertThat(register(ACME, "order.created").status()).isEqualTo(201);
        assertThat(register(ACME, "order.paid").status()).isEqualTo(201);

        Answer refused = register(ACME, "order.shipped");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body().get("code").stringValue()).isEqualTo("quota_exceeded");
        assertThat(refused.body().get("limit").stringValue()).isEqualTo("event_types_per_tenant");
        assertThat(refused.body().get("max").asInt()).isEqualTo(2);

        assertThat(register(ACME, "order.paid").status()).as("replacing a type").isEqualTo(200);
        assertThat(register(GLOBEX, "order.shipped").status())
                .as("another tenant")
                .isEqualTo(201);
    }
}
