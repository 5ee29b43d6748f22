package io.campanello.standalone;

import io.campanello.signature.Webhook;
import io.campanello.signature.WebhookVerificationException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a received signature the way a receiver would, with the secret of the subscription that sent it: it asks
 * the subscriptions API (with the standalone's API key, so subscriptions of its tenant) which subscriptions point at
 * the path, and tries their current and overlapping secrets.
 */
final class SignatureChecker {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String subscriptionsUrl;
    private final String apiKey;

    SignatureChecker(int subscriptionsPort, String apiKey) {
        this.subscriptionsUrl = "http://127.0.0.1:" + subscriptionsPort + "/v1/subscriptions";
        this.apiKey = apiKey;
    }

    ReceivedRequest.SignatureCheck check(String path, Map<String, String> headers, byte[] body) {
        if (!headers.containsKey("webhook-signature")) {
            return null;
        }
        try {
            List<String> ids = subscriptionsPointingAt(path);
            if (ids.isEmpty()) {
                return new ReceivedRequest.SignatureCheck(false, null, "no subscription of this tenant points here");
            }
            String lastFailure = "no secret matched";
            for (String id : ids) {
                for (String secret : secretsOf(id)) {
                    try {
                        new Webhook(secret).verify(body, headers);
                        return new ReceivedRequest.SignatureCheck(true, id, "verified with the subscription's secret");
                    } catch (WebhookVerificationException e) {
                        lastFailure = e.getMessage();
                    }
                }
            }
            return new ReceivedRequest.SignatureCheck(false, ids.get(0), lastFailure);
        } catch (IOException e) {
            return new ReceivedRequest.SignatureCheck(false, null, "could not ask the subscriptions API");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ReceivedRequest.SignatureCheck(false, null, "interrupted");
        }
    }

    private List<String> subscriptionsPointingAt(String path) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (JsonNode subscription : get(subscriptionsUrl)) {
            if (URI.create(subscription.get("url").stringValue()).getRawPath().equals(path)) {
                ids.add(subscription.get("id").stringValue());
            }
        }
        return ids;
    }

    private List<String> secretsOf(String id) throws IOException, InterruptedException {
        JsonNode secret = get(subscriptionsUrl + "/" + id + "/secret");
        List<String> secrets = new ArrayList<>();
        secrets.add(secret.get("secret").stringValue());
        if (secret.has("previous")) {
            secret.get("previous")
                    .forEach(previous -> secrets.add(previous.get("secret").stringValue()));
        }
        return secrets;
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + apiKey)
                        .timeout(Duration.ofSeconds(5))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IOException("subscriptions API answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }
}
