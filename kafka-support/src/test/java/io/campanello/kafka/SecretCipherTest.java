package io.campanello.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.campanello.schemas.AvroSerializer;
import io.campanello.schemas.v1.SigningSecret;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private final String key1 = SecretCipher.generateKey();
    private final SecretCipher cipher =
            new SecretCipher("k1", Base64.getDecoder().decode(key1), Map.of());

    @Test
    void sealsSoThatTheSecretIsNotInTheRecordBytes() {
        SigningSecret sealed = cipher.seal(SECRET, null);

        byte[] onTheTopic = new AvroSerializer().serialize("t", sealed);
        assertThat(new String(onTheTopic, StandardCharsets.ISO_8859_1)).doesNotContain("MfKQ9r8G");
        assertThat(sealed.getKeyId()).isEqualTo("k1");
        assertThat(cipher.open(sealed)).isEqualTo(SECRET);
    }

    @Test
    void sealsAHeaderValueLikeASecret() {
        var sealed = cipher.seal("Bearer receiver-token-123");

        assertThat(new String(sealed.getCiphertext().array(), StandardCharsets.ISO_8859_1))
                .doesNotContain("receiver-token");
        assertThat(cipher.open(sealed)).isEqualTo("Bearer receiver-token-123");
    }

    @Test
    void opensSealedHeadersAndStillSendsTheClearOnesOfAnEarlierRelease() {
        var written = io.campanello.schemas.v1.Subscription.newBuilder()
                .setId("sub_1")
                .setTenant("acme")
                .setUrl("https://example.com/hook")
                .setEventTypes(java.util.List.of("a"))
                .setSecrets(java.util.List.of(cipher.seal(SECRET, null)))
                .setCreatedAt(java.time.Instant.EPOCH);
        var earlier = written.setHeaders(Map.of("authorization", "Bearer old")).build();
        var sealed = io.campanello.schemas.v1.Subscription.newBuilder(earlier)
                .setHeaders(Map.of())
                .setSealedHeaders(cipher.sealHeaders(Map.of("authorization", "Bearer new")))
                .build();

        assertThat(cipher.openHeaders(earlier)).containsExactly(Map.entry("authorization", "Bearer old"));
        assertThat(cipher.openHeaders(sealed)).containsExactly(Map.entry("authorization", "Bearer new"));
        assertThat(new String(new AvroSerializer().serialize("t", sealed), StandardCharsets.ISO_8859_1))
                .contains("authorization")
                .doesNotContain("Bearer");
    }

    @Test
    void opensWhatAPreviousKeySealedAfterTheKeyRotated() {
        SigningSecret sealedWithK1 = cipher.seal(SECRET, null);
        SecretCipher rotated = new SecretCipher(
                "k2",
                Base64.getDecoder().decode(SecretCipher.generateKey()),
                Map.of("k1", Base64.getDecoder().decode(key1)));

        assertThat(rotated.open(sealedWithK1)).isEqualTo(SECRET);
        assertThat(rotated.seal(SECRET, null).getKeyId()).isEqualTo("k2");
    }

    @Test
    void refusesATamperedRecordAndAnUnknownKey() {
        SigningSecret sealed = cipher.seal(SECRET, null);
        byte[] ciphertext = sealed.getCiphertext().array().clone();
        ciphertext[0] ^= 1;
        SigningSecret tampered = SigningSecret.newBuilder(sealed)
                .setCiphertext(ByteBuffer.wrap(ciphertext))
                .build();
        SecretCipher other = new SecretCipher("k9", Base64.getDecoder().decode(SecretCipher.generateKey()), Map.of());

        assertThatThrownBy(() -> cipher.open(tampered)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> other.open(sealed)).hasMessageContaining("no secrets key with id k1");
    }

    @Test
    void explainsAMissingKey() {
        assertThatThrownBy(() -> SecretCipher.of(new SecretsProperties(null, "k1", Map.of())))
                .hasMessageContaining("CAMPANELLO_SECRETS_KEY");
    }
}
