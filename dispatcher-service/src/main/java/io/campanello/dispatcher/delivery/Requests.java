package io.campanello.dispatcher.delivery;

import io.campanello.dispatcher.DispatcherProperties;
import io.campanello.kafka.SecretCipher;
import io.campanello.schemas.v1.DeliveryTask;
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
    private final Map<String, Signers> signers = new ConcurrentHashMap<>();

    Requests(Payloads payloads, SecretCipher cipher, DispatcherProperties properties) {
        this.payloads = payloads;
        this.cipher = cipher;
        this.defaultTimeout = properties.responseTimeout();
    }

    Request of(DeliveryTask task, Subscription subscription, Instant now) {
        Payloads.Body body = payloads.of(task.getEvent(), subscription.getPayloadFormat());
        long timestamp = now.getEpochSecond();
        String signatures = signers(subscription).stream()
                .filter(signer -> signsAt(signer.sealed(), now))
                .map(signer -> signer.webhook().sign(task.getDeliveryId(), timestamp, body.bytes()))
                .collect(Collectors.joining(" "));
        Map<String, String> headers = new LinkedHashMap<>(cipher.openHeaders(subscription));
        headers.put("content-type", body.contentType());
        headers.put("content-length", Integer.toString(body.bytes().length));
        headers.put("user-agent", USER_AGENT);
        headers.put(WebhookHeaders.ID, task.getDeliveryId());
        headers.put(WebhookHeaders.TIMESTAMP, Long.toString(timestamp));
        headers.put(WebhookHeaders.SIGNATURE, signatures);
        Duration timeout = subscription.getTimeoutMillis() != null
                ? Duration.ofMillis(subscription.getTimeoutMillis())
                : defaultTimeout;
        return new Request(URI.create(subscription.getUrl()), headers, body.bytes(), timeout);
    }

    /**
     * The subscription's secrets, opened once per version of them rather than once per request (opening one is an
     * AES-GCM decryption); kept in memory as the dispatcher needs them anyway, never logged.
     */
    private List<Signer> signers(Subscription subscription) {
        Signers known = signers.get(subscription.getId());
        if (known != null && known.sealed().equals(subscription.getSecrets())) {
            return known.signers();
        }
        List<Signer> opened = subscription.getSecrets().stream()
                .map(secret -> new Signer(secret, new Webhook(cipher.open(secret))))
                .toList();
        signers.put(subscription.getId(), new Signers(List.copyOf(subscription.getSecrets()), opened));
        return opened;
    }

    private record Signer(SigningSecret sealed, Webhook webhook) {}

    private record Signers(List<SigningSecret> sealed, List<Signer> signers) {}

    private static boolean signsAt(SigningSecret secret, Instant now) {
        return secret.getExpiresAt() == null || secret.getExpiresAt().isAfter(now);
    }
}
