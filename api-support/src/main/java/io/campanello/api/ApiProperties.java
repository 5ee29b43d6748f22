package io.campanello.api;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the REST API ({@code campanello.api.*}). Plain keys belong in the environment or a Kubernetes
 * Secret only; configuration files hold their SHA-256 ({@code sha256:<hex>}).
 *
 * @param key the API key of {@code tenant} ({@code CAMPANELLO_API_KEY}), plain or {@code sha256:<hex>}
 * @param tenant the tenant {@code key} acts for
 * @param keys more keys, {@code tenant=key} pairs separated by commas ({@code CAMPANELLO_API_KEYS}), e.g.
 *     {@code acme=sha256:9f86…,globex=sha256:2c26…}; a tenant may have several keys (to rotate them)
 * @param adminKey the operators' key ({@code CAMPANELLO_ADMIN_API_KEY}): acts for any tenant
 */
@Validated
@ConfigurationProperties("campanello.api")
public record ApiProperties(
        String key, @NotBlank @DefaultValue("default") String tenant, String keys, String adminKey) {

    @Override
    public String toString() {
        return "ApiProperties[key=" + (key == null ? "unset" : "***") + ", tenant=" + tenant + ", keys="
                + (keys == null ? "unset" : "***") + ", adminKey=" + (adminKey == null ? "unset" : "***") + "]";
    }
}
