package io.campanello.ingest.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.campanello.api.ApiException;
import io.campanello.api.Tenant;
import io.campanello.schemas.v1.EventType;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@code /v1/event-types}: the caller's event-type catalog. Posting an existing name replaces it. */
@RestController
@RequestMapping("/v1/event-types")
class EventTypeController {

    private final EventTypeCatalog catalog;
    private final ObjectMapper json;

    EventTypeController(EventTypeCatalog catalog, ObjectMapper json) {
        this.catalog = catalog;
        this.json = json;
    }

    /** The body of {@code POST /v1/event-types}; {@code schema} is a JSON Schema (2020-12) for the events' data. */
    record EventTypeRequest(String name, String description, JsonNode schema) {}

    /** An event type as the API shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EventTypeView(String name, String description, JsonNode schema, Instant createdAt) {}

    @PostMapping
    Mono<ResponseEntity<EventTypeView>> save(Tenant tenant, @RequestBody(required = false) EventTypeRequest request) {
        if (request == null) {
            return Mono.error(ApiException.badRequest(
                    "invalid_event_type", "a JSON body {name, description, schema} is required"));
        }
        String schema = request.schema() == null || request.schema().isNull()
                ? null
                : json.writeValueAsString(request.schema());
        // Compiling a schema is CPU work: off the event loops.
        return Mono.fromFuture(() -> catalog.save(tenant.id(), request.name(), request.description(), schema))
                .subscribeOn(Schedulers.boundedElastic())
                .map(saved -> ResponseEntity.status(saved.created() ? HttpStatus.CREATED : HttpStatus.OK)
                        .location(URI.create(
                                "/v1/event-types/" + saved.eventType().getName()))
                        .body(view(saved.eventType())));
    }

    @GetMapping
    List<EventTypeView> list(Tenant tenant) {
        return catalog.list(tenant.id()).stream().map(this::view).toList();
    }

    @GetMapping("/{name}")
    EventTypeView get(Tenant tenant, @PathVariable String name) {
        return catalog.get(tenant.id(), name)
                .map(this::view)
                .orElseThrow(() -> ApiException.notFound("event_type_not_found", "no event type " + name));
    }

    private EventTypeView view(EventType type) {
        return new EventTypeView(
                type.getName(),
                type.getDescription(),
                type.getDataSchema() == null ? null : json.readTree(type.getDataSchema()),
                type.getCreatedAt());
    }
}
