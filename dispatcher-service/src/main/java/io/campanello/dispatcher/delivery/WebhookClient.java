package io.campanello.dispatcher.delivery;

import io.campanello.dispatcher.DispatcherProperties;
import io.campanello.urlpolicy.UrlPolicy;
import io.netty.channel.ChannelOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/** POSTs one signed request with reactor-netty and classifies what came back. Redirects are not followed. */
@Component
class WebhookClient implements DisposableBean {

    private static final int KEPT_BODY_BYTES = 4096;
    private static final List<String> KEPT_HEADERS =
            List.of("content-type", "retry-after", "location", "x-request-id", "x-correlation-id");

    private final ConnectionProvider connections;
    private final LoopResources loops;
    private final HttpClient http;
    private final DispatcherProperties properties;

    WebhookClient(DispatcherProperties properties, UrlPolicy policy) {
        this.properties = properties;
        this.connections = ConnectionProvider.builder("webhooks")
                .maxConnections(500)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        this.loops = LoopResources.create("webhooks", LoopResources.DEFAULT_IO_WORKER_COUNT, true);
        this.http = HttpClient.create(connections)
                .runOn(loops)
                .resolver(new PolicyResolverGroup(policy))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        properties.connectTimeout().toMillis())
                .responseTimeout(properties.responseTimeout())
                .followRedirect(false);
    }

    /** What an attempt came to, and what the endpoint answered (kept in the attempt record, never logged). */
    record Attempted(DeliveryOutcome outcome, Map<String, String> headers, String body) {}

    Mono<Attempted> post(Requests.Request request) {
        return http.responseTimeout(request.timeout())
                .headers(h -> request.headers().forEach(h::set))
                .post()
                .uri(request.url())
                .send(ByteBufFlux.fromInbound(Mono.just(request.body())))
                .responseSingle((response, content) -> content.asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .map(body -> new Attempted(
                                Outcomes.ofStatus(
                                        response.status().code(),
                                        response.responseHeaders().get("retry-after"),
                                        Instant.now(),
                                        properties::isPermanent),
                                keptHeaders(response.responseHeaders()),
                                new String(body, 0, Math.min(body.length, KEPT_BODY_BYTES), StandardCharsets.UTF_8))))
                .onErrorResume(error -> Mono.just(new Attempted(Outcomes.ofError(error), Map.of(), null)));
    }

    private static Map<String, String> keptHeaders(io.netty.handler.codec.http.HttpHeaders headers) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : KEPT_HEADERS) {
            String value = headers.get(name);
            if (value != null) {
                kept.put(name, value.length() > 200 ? value.substring(0, 200) : value);
            }
        }
        return kept;
    }

    @Override
    public void destroy() {
        connections.disposeLater().block(Duration.ofSeconds(5));
        loops.disposeLater(Duration.ofMillis(100), Duration.ofSeconds(5)).block(Duration.ofSeconds(6));
    }
}
