package io.campanello.dispatcher.delivery;

import io.campanello.dispatcher.DispatcherProperties;
import io.campanello.kafka.SecretCipher;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.SealedValue;
import io.campanello.schemas.v1.SigningSecret;
import io.campanello.schemas.v1.Subscription;
import io.campanello.signature.Webhook;
import io.campanello.signature.WebhookHeaders;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Builds the signed request of one attempt: the subscription's headers (opened: their values are sealed on Kafka),
 * then the body in its format, then the Standard Webhooks headers, signed with every secret that signs now (two
 * while a rotation overlaps).
 */
@Component
class Requests {

    private static final String USER_AGENT = "Campanello-Webhooks/1.0";

    /** One HTTP request to make. */
    record Request(URI url, Map<String, String> headers, byte[] body, Duration timeout) {}

    private final Payloads payloads;
    private final SecretCipher cipher;
    private final Duration defaultTimeout;
    private final Map<String, Opened> opened = new ConcurrentHashMap<>();

    Requests(Payloads payloads, SecretCipher cipher, DispatcherProperties properties) {
        this.payloads = payloads;
        this.cipher = cipher;
        this.defaultTimeout = properties.responseTimeout();
    }

    Request of(DeliveryTask task, Subscription subscription, Instant now) {
        Payloads.Body body = payloads.of(task.getEvent(), subscription.getPayloadFormat());
        long timestamp = now.getEpochSecond();
        Opened open = opened(subscription);
        String signatures = open.signers().stream()
                .filter(signer -> signsAt(signer.sealed(), now))
                .map(signer -> signer.webhook().sign(task.getDeliveryId(), timestamp, body.bytes()))
                .collect(Collectors.joining(" "));
        Map<String, String> headers = new LinkedHashMap<>(open.headers());
        headers.put("content-type", body.contentType());
        headers.put("content-length", Integer.toString(body.bytes().length));
        headers.put("user-agent", USER_AGENT);
        headers.put(WebhookHeaders.ID, task.getDeliveryId());
        headers.put(WebhookHeaders.TIMESTAMP, Long.toString(timestamp));
        headers.put(WebhookHeaders.SIGNATURE, signatures);
        Duration timeout = subscription.getTimeoutMillis() != null
                ? Duration.ofMillis(subscription.getTimeoutMillis())
                : defaultTimeout;
        return new Request(open.url(), headers, body.bytes(), timeout);
    }

    /**
     * The subscription's URL, secrets and header values, parsed and opened once per version of them rather than once
     * per request (opening one is an AES-GCM decryption); kept in memory as the dispatcher needs them anyway, never
     * logged.
     */
    private Opened opened(Subscription subscription) {
        Opened known = opened.get(subscription.getId());
        if (known != null
                && known.url().toString().equals(subscription.getUrl())
                && known.sealedSecrets().equals(subscription.getSecrets())
                && known.sealedHeaders().equals(subscription.getSealedHeaders())
                && known.clearHeaders().equals(subscription.getHeaders())) {
            return known;
        }
        List<Signer> signers = subscription.getSecrets().stream()
                .map(secret -> new Signer(secret, new Webhook(cipher.open(secret))))
                .toList();
        Opened fresh = new Opened(
                URI.create(subscription.getUrl()),
                List.copyOf(subscription.getSecrets()),
                Map.copyOf(subscription.getSealedHeaders()),
                Map.copyOf(subscription.getHeaders()),
                signers,
                cipher.openHeaders(subscription));
        opened.put(subscription.getId(), fresh);
        return fresh;
    }

    private record Signer(SigningSecret sealed, Webhook webhook) {}

    /** What a version of a subscription's sealed values opens to. */
    private record Opened(
            URI url,
            List<SigningSecret> sealedSecrets,
            Map<String, SealedValue> sealedHeaders,
            Map<String, String> clearHeaders,
            List<Signer> signers,
            Map<String, String> headers) {}

    private static boolean signsAt(SigningSecret secret, Instant now) {
        return secret.getExpiresAt() == null || secret.getExpiresAt().isAfter(now);
    }
}
