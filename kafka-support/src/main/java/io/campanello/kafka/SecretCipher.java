package io.campanello.kafka;

import io.campanello.schemas.v1.SealedValue;
import io.campanello.schemas.v1.SigningSecret;
import io.campanello.schemas.v1.Subscription;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals subscription secrets and custom header values with AES-256-GCM before they go on Kafka, and opens them for
 * the services that sign, send or show them. Each sealed secret names the key that sealed it, so the key can be rotated: new secrets use the
 * current key, older ones open with a previous key.
 */
public final class SecretCipher {

    private static final String AES_GCM = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentKeyId;
    private final Map<String, SecretKeySpec> keys;

    public SecretCipher(String currentKeyId, byte[] currentKey, Map<String, byte[]> previousKeys) {
        this.currentKeyId = currentKeyId;
        this.keys = new HashMap<>();
        previousKeys.forEach((id, key) -> keys.put(id, aesKey(id, key)));
        keys.put(currentKeyId, aesKey(currentKeyId, currentKey));
    }

    /** From configuration; fails with the setting to fix when no key is configured. */
    public static SecretCipher of(SecretsProperties properties) {
        if (properties.key() == null || properties.key().isBlank()) {
            throw new IllegalStateException("campanello.secrets.key is required to seal subscription secrets: set"
                    + " CAMPANELLO_SECRETS_KEY to base64 of 32 random bytes (e.g. `openssl rand -base64 32`)");
        }
        Map<String, byte[]> previous = new HashMap<>();
        properties.previousKeys().forEach((id, key) -> previous.put(id, decode(id, key)));
        return new SecretCipher(properties.keyId(), decode(properties.keyId(), properties.key()), previous);
    }

    /** A new random key, base64, for configuration. */
    public static String generateKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public SigningSecret seal(String secret, Instant expiresAt) {
        SealedValue sealed = seal(secret);
        return SigningSecret.newBuilder()
                .setKeyId(sealed.getKeyId())
                .setNonce(sealed.getNonce())
                .setCiphertext(sealed.getCiphertext())
                .setExpiresAt(expiresAt)
                .build();
    }

    /** Seals any value that must not be readable on Kafka, such as a custom header's value. */
    public SealedValue seal(String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, currentKeyId, nonce);
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return SealedValue.newBuilder()
                    .setKeyId(currentKeyId)
                    .setNonce(ByteBuffer.wrap(nonce))
                    .setCiphertext(ByteBuffer.wrap(sealed))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not seal a secret", e);
        }
    }

    /**
     * @throws IllegalStateException if the key that sealed it is not configured or the record was tampered with
     */
    public String open(SigningSecret sealed) {
        return open(sealed.getKeyId(), sealed.getNonce(), sealed.getCiphertext());
    }

    /**
     * @throws IllegalStateException if the key that sealed it is not configured or the record was tampered with
     */
    public String open(SealedValue sealed) {
        return open(sealed.getKeyId(), sealed.getNonce(), sealed.getCiphertext());
    }

    /** Each header value sealed, for {@code Subscription.sealedHeaders}; the names stay readable. */
    public Map<String, SealedValue> sealHeaders(Map<String, String> headers) {
        Map<String, SealedValue> sealed = new LinkedHashMap<>();
        headers.forEach((name, value) -> sealed.put(name, seal(value)));
        return sealed;
    }

    /**
     * The subscription's custom headers in clear: its sealed headers opened or, for a record an earlier release
     * wrote, its clear {@code headers}.
     */
    public Map<String, String> openHeaders(Subscription subscription) {
        if (subscription.getSealedHeaders().isEmpty()) {
            return subscription.getHeaders();
        }
        Map<String, String> opened = new LinkedHashMap<>();
        subscription.getSealedHeaders().forEach((name, value) -> opened.put(name, open(value)));
        return opened;
    }

    private String open(String keyId, ByteBuffer nonce, ByteBuffer ciphertext) {
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, keyId, bytes(nonce));
            return new String(cipher.doFinal(bytes(ciphertext)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not open a secret sealed with key " + keyId, e);
        }
    }

    private Cipher cipher(int mode, String keyId, byte[] nonce) throws GeneralSecurityException {
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new IllegalStateException("no secrets key with id " + keyId + " is configured");
        }
        Cipher cipher = Cipher.getInstance(AES_GCM);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    private static byte[] decode(String id, String base64) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("secrets key " + id + " is not base64", e);
        }
    }

    private static SecretKeySpec aesKey(String id, byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException("secrets key " + id + " must be 32 bytes (base64 of 32 random bytes)");
        }
        return new SecretKeySpec(key, "AES");
    }
}
