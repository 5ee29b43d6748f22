package io.campanello.ingest.catalog;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.campanello.api.ApiException;
import io.campanello.ingest.IngestProperties;
import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.EventEnvelope;
import io.campanello.schemas.v1.EventType;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

/**
 * A tenant's event types (compacted topic webhooks.event-types), with the JSON Schema each one's {@code data}
 * must satisfy. Ingest checks every event against it: data that breaks its type's schema is refused, naming the
 * failing paths; an unknown type is accepted or refused as configured.
 */
@Component
public class EventTypeCatalog {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*");
    private static final int MAX_REPORTED_ERRORS = 5;

    private final TopicTable<EventType> table;
    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;
    private final boolean acceptUnknownTypes;
    private final Clock clock;
    private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    /** Schemas are checked against the 2020-12 meta-schema (bundled with the validator, not fetched). */
    private final Schema metaSchema =
            schemas.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    EventTypeCatalog(
            TopicTable<EventType> table,
            KafkaTemplate<String, SpecificRecord> kafka,
            CampanelloKafkaProperties kafkaProperties,
            IngestProperties properties,
            Clock clock) {
        this.table = table;
        this.kafka = kafka;
        this.topic = kafkaProperties.topics().eventTypes();
        this.acceptUnknownTypes = properties.acceptUnknownTypes();
        this.clock = clock;
        table.addListener((key, previous, current) -> {
            if (current == null || current.getDataSchema() == null) {
                compiled.remove(key);
            } else {
                compiled.put(key, schemas.getSchema(current.getDataSchema(), InputFormat.JSON));
            }
        });
    }

    /** Whether the type was new. */
    record Saved(EventType eventType, boolean created) {}

    CompletableFuture<Saved> save(String tenant, String name, String description, String schema) {
        if (name == null || !NAME.matcher(name).matches() || name.length() > 200) {
            throw ApiException.badRequest("invalid_event_type", "'name' is an event type such as order.created");
        }
        if (schema != null) {
            checkSchema(schema);
        }
        boolean created = table.get(key(tenant, name)).isEmpty();
        EventType eventType = EventType.newBuilder()
                .setTenant(tenant)
                .setName(name)
                .setDescription(description)
                .setDataSchema(schema)
                .setCreatedAt(clock.instant())
                .build();
        return kafka.send(topic, key(tenant, name), eventType).thenApply(result -> {
            table.applyOwnWrite(key(tenant, name), eventType);
            return new Saved(eventType, created);
        });
    }

    private void checkSchema(String schema) {
        List<Error> problems;
        try {
            problems = metaSchema.validate(schema, InputFormat.JSON);
            schemas.getSchema(schema, InputFormat.JSON);
        } catch (SchemaException | IllegalArgumentException | JacksonException e) {
            throw ApiException.badRequest("invalid_schema", "'schema' is not a valid JSON Schema: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(
                    "invalid_schema", "'schema' is not a valid JSON Schema (2020-12): " + describe("schema", problems));
        }
    }

    private static String describe(String root, List<Error> errors) {
        return errors.stream()
                .limit(MAX_REPORTED_ERRORS)
                .map(error -> root + error.getInstanceLocation().toString().replaceFirst("^\\$", "") + ": "
                        + error.getMessage())
                .collect(Collectors.joining("; "));
    }

    List<EventType> list(String tenant) {
        return table.values().stream()
                .filter(type -> type.getTenant().equals(tenant))
                .sorted(Comparator.comparing(EventType::getName))
                .toList();
    }

    Optional<EventType> get(String tenant, String name) {
        return table.get(key(tenant, name));
    }

    /**
     * Checks an event against its type.
     *
     * @throws ApiException 400 {@code invalid_event} naming the failing paths, or {@code unknown_event_type}
     */
    public void check(EventEnvelope event) {
        String key = key(event.getTenant(), event.getType());
        if (!acceptUnknownTypes && table.get(key).isEmpty()) {
            throw ApiException.badRequest(
                    "unknown_event_type", "'" + event.getType() + "' is not in the event-type catalog");
        }
        Schema schema = compiled.get(key);
        if (schema == null) {
            return;
        }
        List<Error> errors = schema.validate(event.getData() == null ? "null" : event.getData(), InputFormat.JSON);
        if (!errors.isEmpty()) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "invalid_event",
                    "data does not match the schema of " + event.getType() + ": " + describe("data", errors));
        }
    }

    private static String key(String tenant, String name) {
        return tenant + "/" + name;
    }
}
