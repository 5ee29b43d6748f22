package io.campanello.ingest.source;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Confluent-compatible schema registry that sources of format {@code avro} read their writer schemas from
 * ({@code campanello.ingest.schema-registry.*}).
 *
 * @param url the registry's base URL, under which {@code /schemas/ids/{id}} answers (Confluent Schema Registry,
 *     Karapace, Redpanda: {@code http://registry:8081}; Apicurio: {@code http://apicurio:8080/apis/ccompat/v7});
 *     no default, required when a source is of format {@code avro}
 * @param username user (or API key) for HTTP Basic authentication; none by default
 * @param password password (or API secret) for HTTP Basic authentication
 * @param sslBundle the name of a Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) whose trust material (and
 *     key, for mutual TLS) the client uses for an {@code https} URL; the JVM's trusted authorities by default
 * @param timeout how long one request to the registry may take before the records wait and it is asked again
 * @param cacheSize how many schemas (by id) are kept in memory; a schema id is asked once until it is evicted
 */
@Validated
@ConfigurationProperties("campanello.ingest.schema-registry")
public record SchemaRegistryProperties(
        URI url,
        String username,
        String password,
        String sslBundle,
        @DurationMin(millis = 100) @DefaultValue("5s") Duration timeout,
        @Min(1) @Max(1_000_000) @DefaultValue("1000") int cacheSize) {

    boolean hasCredentials() {
        return username != null && !username.isBlank();
    }

    @Override
    public String toString() {
        return "SchemaRegistryProperties[url=" + url + ", username=" + username + ", password="
                + (password == null ? null : "***") + ", sslBundle=" + sslBundle + ", timeout=" + timeout
                + ", cacheSize=" + cacheSize + "]";
    }
}
