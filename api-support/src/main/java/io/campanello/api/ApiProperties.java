package io.campanello.api;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the REST API ({@code campanello.api.*}).
 *
 * @param key the API key callers present as {@code Authorization: Bearer <key>}; no default, set it from the
 *     environment ({@code CAMPANELLO_API_KEY}) or a Kubernetes Secret
 * @param tenant the tenant that key acts for
 */
@Validated
@ConfigurationProperties("campanello.api")
public record ApiProperties(
        String key, @NotBlank @DefaultValue("default") String tenant) {

    @Override
    public String toString() {
        return "ApiProperties[key=" + (key == null ? "unset" : "***") + ", tenant=" + tenant + "]";
    }
}
