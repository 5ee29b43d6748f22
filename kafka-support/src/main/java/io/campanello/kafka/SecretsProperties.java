package io.campanello.kafka;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The key that encrypts subscription secrets on Kafka ({@code campanello.secrets.*}).
 *
 * @param key base64 of 32 random bytes ({@code CAMPANELLO_SECRETS_KEY}); no default: set it from a Secret
 * @param keyId the id stored with every secret it seals, so the key can be rotated later
 * @param previousKeys older keys by id (base64), still able to open what they sealed
 */
@ConfigurationProperties("campanello.secrets")
public record SecretsProperties(
        String key,
        @DefaultValue("k1") String keyId,
        @DefaultValue Map<String, String> previousKeys) {

    @Override
    public String toString() {
        return "SecretsProperties[key=" + (key == null ? "unset" : "***") + ", keyId=" + keyId + ", previousKeys="
                + previousKeys.keySet() + "]";
    }
}
