package io.campanello.ingest.http;

import io.campanello.api.ApiException;
import io.campanello.api.Tenant;
import io.campanello.ingest.IngestProperties;
import io.campanello.ingest.catalog.EventTypeCatalog;
import io.campanello.ingest.event.EventParser;
import io.campanello.ingest.event.EventWriter;
import io.campanello.ingest.event.IdempotencyKey;
import io.campanello.ingest.event.InvalidEventException;
import io.campanello.ingest.event.KafkaUnavailableException;
import io.campanello.schemas.v1.EventEnvelope;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /v1/events}: answers 202 with the event id once Kafka acknowledged the event. Parsing and the schema
 * check run on a bounded pool, never on an event loop, so a slow one delays only its own request; Kafka not
 * acknowledging within {@code campanello.ingest.kafka-timeout} is answered 503. With an {@code Idempotency-Key}
 * the key names the event: the same key sent again is answered with the same id, and the matcher drops the copy.
 */
@RestController
class EventController {

    private final EventParser parser;
    private final EventWriter writer;
    private final EventTypeCatalog catalog;
    private final IngestProperties properties;

    EventController(EventParser parser, EventWriter writer, EventTypeCatalog catalog, IngestProperties properties) {
        this.parser = parser;
        this.writer = writer;
        this.catalog = catalog;
        this.properties = properties;
    }

    @PostMapping("/v1/events")
    Mono<ResponseEntity<Accepted>> accept(
            ServerHttpRequest request,
            Tenant tenant,
            @Parameter(
                            in = ParameterIn.HEADER,
                            description = "Names the event within the tenant (and its subject): a request sent again"
                                    + " with the same key is answered with the same id and delivered once within the"
                                    + " dedupe window (campanello.matcher.dedupe-window, 24 h); the first body wins."
                                    + " 1 to 255 visible ASCII characters without spaces, quotes or backslashes;"
                                    + " otherwise 400 invalid_idempotency_key")
                    @RequestHeader(name = IdempotencyKey.HEADER, required = false)
                    String idempotencyKey) {
        IdempotencyKey key;
        try {
            key = idempotencyKey == null ? null : IdempotencyKey.parse(idempotencyKey);
        } catch (InvalidEventException e) {
            return Mono.error(ApiException.badRequest(e.code(), e.getMessage()));
        }
        long max = properties.maxEventSize().toBytes();
        if (request.getHeaders().getContentLength() > max) {
            return Mono.error(tooLarge());
        }
        return DataBufferUtils.join(request.getBody(), (int) max)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge())
                .publishOn(Schedulers.boundedElastic())
                .map(body -> checked(body, tenant, key))
                .flatMap(writer::send)
                .onErrorMap(
                        KafkaUnavailableException.class,
                        e -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "kafka_unavailable", e.getMessage()))
                .map(event -> ResponseEntity.accepted().body(new Accepted(event.getId())));
    }

    private EventEnvelope checked(byte[] body, Tenant tenant, IdempotencyKey key) {
        EventEnvelope event;
        try {
            event = key == null ? parser.parse(body, tenant.id()) : parser.parse(body, tenant.id(), key);
        } catch (InvalidEventException e) {
            throw ApiException.badRequest(e.code(), e.getMessage());
        }
        catalog.check(event);
        return event;
    }

    private ApiException tooLarge() {
        return new ApiException(
                HttpStatus.CONTENT_TOO_LARGE,
                "payload_too_large",
                "an event may be at most " + properties.maxEventSize().toKilobytes() + " KiB");
    }

    /** The answer to an accepted event. */
    record Accepted(String id) {}
}
