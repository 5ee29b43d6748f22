package io.campanello.retry.deadletter;

import io.campanello.api.ApiException;
import io.campanello.api.Tenant;
import io.campanello.retry.OperatorScope;
import io.campanello.schemas.v1.DeadLetter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.ObjectMapper;

/** {@code /v1/dead-letters}: what never got delivered, and why. A tenant key sees its own; an admin key every one. */
@RestController
@RequestMapping("/v1/dead-letters")
class DeadLetterController {

    private static final int MAX_LIMIT = 1000;

    private final DeadLetterIndex index;
    private final DeadLetterReader reader;
    private final ObjectMapper json;

    DeadLetterController(DeadLetterIndex index, DeadLetterReader reader, ObjectMapper json) {
        this.index = index;
        this.reader = reader;
        this.json = json;
    }

    @GetMapping
    DeadLetterIndex.Page list(
            Tenant tenant,
            @RequestHeader(value = Tenant.HEADER, required = false) String chosenTenant,
            @RequestParam(required = false) String subscription,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) String reason,
            @RequestParam(required = false) Instant since,
            @RequestParam(required = false) Instant until,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(required = false) String cursor) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("invalid_request", "'limit' is between 1 and " + MAX_LIMIT);
        }
        return index.list(
                new DeadLetterQuery(
                        OperatorScope.tenantOf(tenant, chosenTenant), subscription, type, reason, since, until),
                cursor,
                limit);
    }

    @GetMapping("/{id}")
    Mono<Map<String, Object>> get(
            Tenant tenant,
            @RequestHeader(value = Tenant.HEADER, required = false) String chosenTenant,
            @PathVariable String id) {
        String scope = OperatorScope.tenantOf(tenant, chosenTenant);
        DeadLetterSummary summary = index.get(id)
                .filter(found -> scope == null || scope.equals(found.tenant()))
                .orElseThrow(() -> ApiException.notFound("dead_letter_not_found", "no dead letter " + id));
        return Mono.fromCallable(() -> reader.read(id))
                .subscribeOn(Schedulers.boundedElastic())
                .map(read -> {
                    Map<String, Object> view = json.convertValue(summary, Map.class);
                    Map<String, Object> copy = new LinkedHashMap<>(view);
                    read.map(DeadLetter::getTask).ifPresent(task -> copy.put("event", event(task.getEvent())));
                    return copy;
                });
    }

    private Map<String, Object> event(io.campanello.schemas.v1.EventEnvelope event) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", event.getId());
        view.put("type", event.getType());
        view.put("source", event.getSource());
        view.put("subject", event.getSubject());
        view.put("time", event.getTime().toString());
        view.put("data", event.getData() == null ? null : json.readTree(event.getData()));
        view.put("attributes", event.getAttributes());
        return view;
    }
}
