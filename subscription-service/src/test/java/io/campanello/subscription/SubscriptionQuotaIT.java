package io.campanello.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.campanello.kafka.SecretCipher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A tenant's subscriptions are capped; the cap is per tenant and a deleted subscription frees its place. */
@EmbeddedKafka(partitions = 1)
class SubscriptionQuotaIT {

    private static final String ACME = "cmp_acme_quota_test";
    private static final String GLOBEX = "cmp_globex_quota_test";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext service;

    @BeforeEach
    void start(EmbeddedKafkaBroker broker) {
        service = SubscriptionApplication.application()
                .run(
                        "--server.port=0",
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--campanello.api.keys=acme=" + ACME + ",globex=" + GLOBEX,
                        "--campanello.secrets.key=" + SecretCipher.generateKey(),
                        "--campanello.subscriptions.max-per-tenant=2",
                        "--campanello.matcher.state-dir=target/matcher-" + UUID.randomUUID(),
                        "--spring.main.banner-mode=off");
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private record Answer(int status, JsonNode body, String contentType) {}

    private Answer call(String key, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(
                request.header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(
                response.statusCode(),
                response.body().isEmpty() ? null : JSON.readTree(response.body()),
                response.headers().firstValue("content-type").orElse(""));
    }

    private String base() {
        return "http://localhost:" + service.getEnvironment().getProperty("local.server.port") + "/v1/subscriptions";
    }

    private Answer create(String key) throws Exception {
        return call(
                key,
                HttpRequest.newBuilder(URI.create(base()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"url\": \"https://93.184.215.14/orders\", \"eventTypes\": [\"order.*\"]}")));
    }

    @Test
    void aTenantAtItsLimitIsRefusedWithTheLimitNamedWhileOthersStillCreate() throws Exception {
        String first = create(ACME).body().get("id").stringValue();
        assertThat(create(ACME).status()).isEqualTo(201);

        Answer refused = create(ACME);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body().get("code").stringValue()).isEqualTo("quota_exceeded");
        assertThat(refused.body().get("limit").stringValue()).isEqualTo("subscriptions_per_tenant");
        assertThat(refused.body().get("max").asInt()).isEqualTo(2);
        assertThat(create(GLOBEX).status()).as("the limit is per tenant").isEqualTo(201);

        assertThat(call(
                                ACME,
                                HttpRequest.newBuilder(URI.create(base() + "/" + first))
                                        .DELETE())
                        .status())
                .isEqualTo(204);
        assertThat(create(ACME).status())
                .as("a deleted subscription frees its place")
                .isEqualTo(201);
    }
}
