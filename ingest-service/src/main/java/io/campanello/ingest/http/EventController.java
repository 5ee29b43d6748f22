package io.campanello.ingest.http;

import io.campanello.api.ApiException;
import io.campanello.api.Tenant;
import io.campanello.ingest.IngestProperties;
import io.campanello.ingest.catalog.EventTypeCatalog;
import io.campanello.ingest.event.EventParser;
import io.campanello.ingest.event.EventWriter;
import io.campanello.ingest.event.InvalidEventException;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /v1/events}: answers 202 with the event id once Kafka acknowledged the event. */
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
    Mono<ResponseEntity<Accepted>> accept(ServerHttpRequest request, Tenant tenant) {
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
                .onErrorMap(org.springframework.core.io.buffer.DataBufferLimitException.class, e -> tooLarge())
                .flatMap(body -> {
                    try {
                        return Mono.just(parser.parse(body, tenant.id()));
                    } catch (InvalidEventException e) {
                        return Mono.error(ApiException.badRequest(e.code(), e.getMessage()));
                    }
                })
                .doOnNext(catalog::check)
                .flatMap(event -> Mono.fromFuture(() -> writer.write(event)))
                .timeout(properties.writeTimeout())
                .onErrorMap(
                        TimeoutException.class,
                        e -> new ApiException(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "kafka_unavailable",
                                "Kafka did not acknowledge the event in time; it may or may not have been accepted, send it again"))
                .map(event -> ResponseEntity.accepted().body(new Accepted(event.getId())));
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
