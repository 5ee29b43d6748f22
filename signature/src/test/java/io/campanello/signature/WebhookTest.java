package io.campanello.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vectors are those of the Standard Webhooks reference libraries
 * (github.com/standard-webhooks/standard-webhooks, libraries/{python,javascript,java} tests at b2fa7b8).
 */
class WebhookTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final byte[] PAYLOAD = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private final Webhook atVectorTime = webhookAt(TIMESTAMP);

    private static Webhook webhookAt(long epochSeconds) {
        return webhookAt(SECRET, epochSeconds);
    }

    private static Webhook webhookAt(String secret, long epochSeconds) {
        return new Webhook(
                secret, Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC), Webhook.DEFAULT_TOLERANCE);
    }

    private static Map<String, String> headers(String id, long timestamp, String signature) {
        Map<String, String> headers = new HashMap<>();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", signature);
        return headers;
    }

    @Test
    void signsTheReferenceVector() {
        assertThat(atVectorTime.sign(MSG_ID, TIMESTAMP, PAYLOAD)).isEqualTo(EXPECTED);
    }

    @Test
    void signsTheReferenceVectorWithTheSecretWithoutPrefix() {
        Webhook bare = webhookAt("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", TIMESTAMP);
        assertThat(bare.sign(MSG_ID, TIMESTAMP, PAYLOAD)).isEqualTo(EXPECTED);
    }

    @Test
    void verifiesTheReferenceVector() {
        assertThatCode(() -> atVectorTime.verify(PAYLOAD, headers(MSG_ID, TIMESTAMP, EXPECTED)))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=",
                "v1,dawfeoifkpqwoekfpqoekf",
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLawdd",
                "v1,invalid_signature",
                "v1,g0hM9SsE",
                "v1,",
                "invalid_signature",
                "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
            })
    void rejectsSignaturesThatDoNotMatch(String signature) {
        assertThatThrownBy(() -> atVectorTime.verify(PAYLOAD, headers(MSG_ID, TIMESTAMP, signature)))
                .isInstanceOf(WebhookVerificationException.class)
                .hasMessage("no matching signature found");
    }

    @Test
    void rejectsATamperedPayload() {
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> atVectorTime.verify(tampered, headers(MSG_ID, TIMESTAMP, EXPECTED)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void acceptsAListThatContainsOneValidSignatureAmongOthers() {
        String list = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= "
                + EXPECTED + " v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
        assertThatCode(() -> atVectorTime.verify(PAYLOAD, headers(MSG_ID, TIMESTAMP, list)))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsTimestampsOutsideFiveMinutesEitherWay() {
        Webhook sixMinutesLater = webhookAt(TIMESTAMP + 301);
        Webhook sixMinutesEarlier = webhookAt(TIMESTAMP - 301);

        assertThatThrownBy(() -> sixMinutesLater.verify(PAYLOAD, headers(MSG_ID, TIMESTAMP, EXPECTED)))
                .hasMessage("message timestamp too old");
        assertThatThrownBy(() -> sixMinutesEarlier.verify(PAYLOAD, headers(MSG_ID, TIMESTAMP, EXPECTED)))
                .hasMessage("message timestamp too new");
        assertThatCode(() -> webhookAt(TIMESTAMP + 300).verify(PAYLOAD, headers(MSG_ID, TIMESTAMP, EXPECTED)))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsATimestampThatIsNotANumber() {
        Map<String, String> headers = headers(MSG_ID, TIMESTAMP, EXPECTED);
        headers.put("webhook-timestamp", "hello");
        assertThatThrownBy(() -> atVectorTime.verify(PAYLOAD, headers)).hasMessage("invalid signature headers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"webhook-id", "webhook-timestamp", "webhook-signature"})
    void rejectsACallWithAMissingHeader(String missing) {
        Map<String, String> headers = headers(MSG_ID, TIMESTAMP, EXPECTED);
        headers.remove(missing);
        assertThatThrownBy(() -> atVectorTime.verify(PAYLOAD, headers)).hasMessage("missing required headers");
    }

    @Test
    void readsHeaderNamesInAnyCase() {
        Map<String, String> headers = Map.of(
                "Webhook-Id", MSG_ID, "WEBHOOK-TIMESTAMP", Long.toString(TIMESTAMP), "webhook-SIGNATURE", EXPECTED);
        assertThatCode(() -> atVectorTime.verify(PAYLOAD, headers)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "whsec_"})
    void refusesAnEmptySecret(String secret) {
        assertThatThrownBy(() -> new Webhook(secret)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwBr"})
    void acceptsSecretsWithoutBase64Padding(String secret) {
        Webhook plain = webhookAt(secret, TIMESTAMP);
        Webhook prefixed = webhookAt("whsec_" + secret, TIMESTAMP);
        String signature = plain.sign(MSG_ID, TIMESTAMP, PAYLOAD);
        assertThatCode(() -> prefixed.verify(PAYLOAD, headers(MSG_ID, TIMESTAMP, signature)))
                .doesNotThrowAnyException();
    }

    @Test
    void generatesSecretsThatSignAndVerify() {
        String secret = Webhook.generateSecret();
        assertThat(secret).startsWith("whsec_");
        assertThat(Webhook.decodeSecret(secret)).hasSizeGreaterThanOrEqualTo(24);
        assertThat(Webhook.generateSecret()).isNotEqualTo(secret);

        Webhook webhook = new Webhook(secret);
        long now = Instant.now().getEpochSecond();
        String signature = webhook.sign("dlv_1", now, PAYLOAD);
        assertThatCode(() -> webhook.verify(PAYLOAD, headers("dlv_1", now, signature)))
                .doesNotThrowAnyException();
        assertThatThrownBy(
                        () -> new Webhook(Webhook.generateSecret()).verify(PAYLOAD, headers("dlv_1", now, signature)))
                .isInstanceOf(WebhookVerificationException.class);
    }
}
