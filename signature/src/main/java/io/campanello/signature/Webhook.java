package io.campanello.signature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies webhook calls as Standard Webhooks v1 does: HMAC-SHA256 over {@code id.timestamp.body}
 * with the secret {@code whsec_<base64>}, sent as {@code webhook-signature: v1,<base64>}.
 *
 * <pre>{@code
 * Webhook webhook = new Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
 * webhook.verify(body, headers); // throws WebhookVerificationException when the call must be rejected
 * }</pre>
 */
public final class Webhook {

    /** Prefix of a Standard Webhooks secret. */
    public static final String SECRET_PREFIX = "whsec_";

    /** How far a call's timestamp may be from now, either way, before it is refused as a replay. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String VERSION = "v1";
    private static final String HMAC = "HmacSHA256";
    private static final int GENERATED_SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    /** Initialised with the key once and never used itself: each signature works on a copy of it. */
    private final Mac keyed;

    private final Clock clock;
    private final Duration tolerance;

    /** A webhook for a {@code whsec_…} secret (the prefix is optional), checking timestamps against now ± 5 min. */
    public Webhook(String secret) {
        this(secret, Clock.systemUTC(), DEFAULT_TOLERANCE);
    }

    public Webhook(String secret, Clock clock, Duration tolerance) {
        this.key = new SecretKeySpec(decodeSecret(secret), HMAC);
        this.keyed = newMac();
        this.clock = clock;
        this.tolerance = tolerance;
    }

    /** A new random secret, {@code whsec_} and 32 random bytes in base64. */
    public static String generateSecret() {
        byte[] bytes = new byte[GENERATED_SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * The bytes of a secret: the base64 after {@code whsec_}.
     *
     * @throws IllegalArgumentException if the secret is empty or not base64
     */
    public static byte[] decodeSecret(String secret) {
        if (secret == null) {
            throw new IllegalArgumentException("secret is missing");
        }
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        byte[] bytes = Base64.getDecoder().decode(encoded);
        if (bytes.length == 0) {
            throw new IllegalArgumentException("secret is empty");
        }
        return bytes;
    }

    /** The signature of one call, {@code v1,<base64>}; join several with a space while a secret rotates. */
    public String sign(String id, long timestampSeconds, byte[] body) {
        return VERSION + "," + Base64.getEncoder().encodeToString(hmac(id, timestampSeconds, body));
    }

    /**
     * Verifies a received call: its headers (names in any case) and the raw body exactly as received.
     *
     * @throws WebhookVerificationException if a header is missing, the timestamp is outside the tolerance, or
     *     no {@code v1} signature in the list matches
     */
    public void verify(byte[] body, Map<String, String> headers) throws WebhookVerificationException {
        Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(headers);
        verify(
                body,
                byName.get(WebhookHeaders.ID),
                byName.get(WebhookHeaders.TIMESTAMP),
                byName.get(WebhookHeaders.SIGNATURE));
    }

    /** Verifies a received call given its three header values; see {@link #verify(byte[], Map)}. */
    public void verify(byte[] body, String id, String timestamp, String signatures)
            throws WebhookVerificationException {
        if (id == null || timestamp == null || signatures == null) {
            throw new WebhookVerificationException("missing required headers");
        }
        long seconds = parseTimestamp(timestamp);
        long now = clock.instant().getEpochSecond();
        if (seconds < now - tolerance.toSeconds()) {
            throw new WebhookVerificationException("message timestamp too old");
        }
        if (seconds > now + tolerance.toSeconds()) {
            throw new WebhookVerificationException("message timestamp too new");
        }
        byte[] expected = hmac(id, seconds, body);
        for (String versioned : signatures.split(" ")) {
            int comma = versioned.indexOf(',');
            if (comma < 0 || !VERSION.equals(versioned.substring(0, comma))) {
                continue;
            }
            byte[] candidate;
            try {
                candidate = Base64.getDecoder().decode(versioned.substring(comma + 1));
            } catch (IllegalArgumentException notBase64) {
                continue;
            }
            if (MessageDigest.isEqual(expected, candidate)) {
                return;
            }
        }
        throw new WebhookVerificationException("no matching signature found");
    }

    private static long parseTimestamp(String timestamp) throws WebhookVerificationException {
        try {
            return Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new WebhookVerificationException("invalid signature headers");
        }
    }

    private byte[] hmac(String id, long timestampSeconds, byte[] body) {
        Mac mac;
        try {
            mac = (Mac) keyed.clone(); // cheaper than looking the algorithm up and keying it again
        } catch (CloneNotSupportedException providerCannotCopy) {
            mac = newMac();
        }
        mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
        return mac.doFinal(body);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
