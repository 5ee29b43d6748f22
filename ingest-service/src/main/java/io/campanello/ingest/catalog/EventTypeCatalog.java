package io.campanello.ingest.catalog;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import io.campanello.api.ApiException;
import io.campanello.ingest.IngestProperties;
import io.campanello.ingest.catalog.EventSchemas.UnusableSchemaException;
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
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * A tenant's event types (compacted topic webhooks.event-types), with the JSON Schema each one's {@code data}
 * must satisfy. Ingest checks every event against it: data that breaks its type's schema is refused, naming the
 * failing paths; an unknown type is accepted or refused as configured. A schema is compiled once, when it is
 * registered or read from the topic ({@link EventSchemas}); validation is CPU work, so callers run
 * {@link #check(EventEnvelope)} off the event loops.
 */
@Component
public class EventTypeCatalog {

    private static final Logger log = LoggerFactory.getLogger(EventTypeCatalog.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*");

    /** A type's compiled schema, or why its stored schema cannot be used (one saved by an earlier release). */
    private record Compiled(Schema schema, String problem) {}

    private final TopicTable<EventType> table;
    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;
    private final boolean acceptUnknownTypes;
    private final int maxPerTenant;
    private final Clock clock;
    private final EventSchemas schemas = new EventSchemas();
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

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
        this.maxPerTenant = properties.maxEventTypesPerTenant();
        this.clock = clock;
        table.addListener((key, previous, current) -> {
            if (current == null || current.getDataSchema() == null) {
                compiled.remove(key);
            } else {
                compiled.put(key, compile(key, current.getDataSchema()));
            }
        });
    }

    private Compiled compile(String key, String schema) {
        try {
            return new Compiled(schemas.compile(schema), null);
        } catch (UnusableSchemaException e) {
            log.warn("stored schema cannot be used event_type={} reason={}", key, e.getMessage());
            return new Compiled(null, e.getMessage());
        }
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
        if (created) {
            long count = list(tenant).size();
            if (count >= maxPerTenant) {
                throw ApiException.quotaExceeded(
                        "event_types_per_tenant",
                        maxPerTenant,
                        "the tenant has " + count + " event types, the most allowed is " + maxPerTenant);
            }
        }
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
        try {
            schemas.compile(schema);
        } catch (UnusableSchemaException e) {
            throw ApiException.badRequest("invalid_schema", e.getMessage());
        }
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
     * @throws ApiException 400 {@code invalid_event} naming the failing paths (also when the schema itself fails),
     *     or {@code unknown_event_type}
     */
    public void check(EventEnvelope event) {
        String key = key(event.getTenant(), event.getType());
        if (!acceptUnknownTypes && table.get(key).isEmpty()) {
            throw ApiException.badRequest(
                    "unknown_event_type", "'" + event.getType() + "' is not in the event-type catalog");
        }
        Compiled schema = compiled.get(key);
        if (schema == null) {
            return;
        }
        if (schema.schema() == null) {
            throw ApiException.badRequest(
                    "invalid_event",
                    "the schema of " + event.getType() + " cannot be used (" + schema.problem()
                            + "); register the type again with a valid schema");
        }
        List<Error> errors;
        try {
            errors = schema.schema().validate(event.getData() == null ? "null" : event.getData(), InputFormat.JSON);
        } catch (RuntimeException | StackOverflowError e) {
            // Whatever the validator throws on a stored schema is about that schema, never a reason for a 500; a
            // $ref cycle that only some data enters overflows the stack, which unwinds with nothing to repair.
            log.warn(
                    "schema failed on an event event_type={} error={}",
                    key,
                    e.getClass().getName());
            throw ApiException.badRequest(
                    "invalid_event", "data could not be checked against the schema of " + event.getType());
        }
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(
                    "invalid_event",
                    "data does not match the schema of " + event.getType() + ": "
                            + EventSchemas.describe("data", errors));
        }
    }

    private static String key(String tenant, String name) {
        return tenant + "/" + name;
    }
}
