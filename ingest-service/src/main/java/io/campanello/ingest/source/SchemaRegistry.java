package io.campanello.ingest.source;

import static io.campanello.ingest.source.SourceRecordMapper.unreadable;

import io.campanello.kafka.UnreadableRecordException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundles;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The writer schemas of a Confluent-compatible schema registry, asked by id ({@code GET /schemas/ids/{id}}) and
 * kept, the most recently used first, up to the configured number. Only the registry saying that it has no such
 * schema (error code 40403) or answering one that is not Avro makes a record unreadable; anything else (down, slow,
 * 5xx, a refused login, a 404 from something that is not the registry) is {@link SchemaRegistryUnavailableException},
 * and the record waits. Such a refusal is remembered for {@link #REFUSAL_KEPT}: a stream of records naming an id the
 * registry has no Avro schema for is dead-lettered without asking the registry once per record.
 */
class SchemaRegistry {

    /** What Confluent's API answers; Apicurio, Karapace and Redpanda answer the same or plain JSON. */
    static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";

    /** Confluent's error code for "schema not found". */
    static final int SCHEMA_NOT_FOUND = 40403;

    /**
     * How long a refused id is answered from memory. A registry never gives an id to a schema before it is registered,
     * so an unknown id stays unknown; the minute only bounds what a mistaken answer could cost.
     */
    static final Duration REFUSAL_KEPT = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistry.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client;
    private final URI url;
    private final String authorization;
    private final SchemaRegistryProperties properties;
    private final Map<Integer, Schema> schemas;
    private final Map<Integer, Refusal> refusals;

    /** Why an id was refused, and until when ({@link System#nanoTime()}) that answer stands. */
    private record Refusal(String message, long untilNanos) {}

    SchemaRegistry(SchemaRegistryProperties properties, SslBundles sslBundles) {
        if (properties.url() == null) {
            throw new IllegalArgumentException(
                    "campanello.ingest.schema-registry.url is required when a source is of format avro");
        }
        // Redirects are not followed (a 3xx makes records wait): the credentials must not go to another host.
        HttpClient.Builder builder =
                HttpClient.newBuilder().connectTimeout(properties.timeout()).followRedirects(HttpClient.Redirect.NEVER);
        if (properties.sslBundle() != null && !properties.sslBundle().isBlank()) {
            builder.sslContext(sslBundles.getBundle(properties.sslBundle()).createSslContext());
        }
        this.client = builder.build();
        String base = properties.url().toString();
        this.url = URI.create(base.endsWith("/") ? base : base + "/");
        this.authorization = properties.hasCredentials()
                ? "Basic "
                        + Base64.getEncoder()
                                .encodeToString((properties.username() + ":"
                                                + (properties.password() == null ? "" : properties.password()))
                                        .getBytes(StandardCharsets.UTF_8))
                : null;
        this.properties = properties;
        this.schemas = lru(properties.cacheSize());
        this.refusals = lru(properties.cacheSize());
    }

    private static <V> Map<Integer, V> lru(int size) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, V> eldest) {
                return size() > size;
            }
        };
    }

    /**
     * The writer schema of an id.
     *
     * @throws io.campanello.kafka.UnreadableRecordException {@code unknown_schema} or {@code invalid_avro}
     * @throws SchemaRegistryUnavailableException when the registry does not answer which schema it is
     */
    Schema schema(int id) {
        synchronized (schemas) {
            Schema known = schemas.get(id);
            if (known != null) {
                return known;
            }
            Refusal refusal = refusals.get(id);
            if (refusal != null && refusal.untilNanos() - System.nanoTime() > 0) {
                throw new UnreadableRecordException(refusal.message());
            }
        }
        Schema fetched;
        try {
            fetched = fetch(id);
        } catch (UnreadableRecordException e) {
            synchronized (schemas) {
                refusals.put(id, new Refusal(e.getMessage(), System.nanoTime() + REFUSAL_KEPT.toNanos()));
            }
            throw e;
        }
        synchronized (schemas) {
            refusals.remove(id);
            schemas.put(id, fetched);
        }
        return fetched;
    }

    private Schema fetch(int id) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve("schemas/ids/" + id))
                .timeout(properties.timeout())
                .header(
                        "Accept",
                        MEDIA_TYPE + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5")
                .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unavailable(id, "unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(id, "interrupted", e);
        }
        return schemaOf(id, response.statusCode(), response.body());
    }

    /** Decides, from the registry's answer, between a schema, an unreadable record and a registry to wait for. */
    static Schema schemaOf(int id, int status, String body) {
        JsonNode answer = json(body);
        if (status == 404 && answer != null && answer.path("error_code").asInt() == SCHEMA_NOT_FOUND) {
            throw unreadable("unknown_schema", "the schema registry has no schema with id " + id);
        }
        if (status != 200 || answer == null || !answer.path("schema").isString()) {
            throw unavailable(id, "answered " + status, null);
        }
        String type = answer.path("schemaType").asString("AVRO");
        if (!type.equals("AVRO")) {
            throw unreadable("invalid_avro", "schema " + id + " is a " + type + " schema, not Avro");
        }
        try {
            return new Schema.Parser().parse(answer.path("schema").stringValue());
        } catch (SchemaParseException e) {
            throw unreadable(
                    "invalid_avro",
                    "schema " + id + " is not an Avro schema this reader can use (schema references are not"
                            + " supported): " + e.getMessage());
        }
    }

    private static JsonNode json(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static SchemaRegistryUnavailableException unavailable(int id, String what, Throwable cause) {
        log.warn("Schema registry did not give a schema; the records wait schema_id={} registry={}", id, what);
        return new SchemaRegistryUnavailableException(
                "schema registry " + what + " when asked for schema " + id, cause);
    }
}
