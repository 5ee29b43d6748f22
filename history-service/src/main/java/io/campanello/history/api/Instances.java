package io.campanello.history.api;

import io.campanello.api.ApiException;
import io.campanello.api.Tenant;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Asks another history instance the part of a query it holds: the same request on {@code /v1/internal/…}, which
 * answers from that instance's partitions alone, with the caller's own API key and tenant header, so the other
 * instance scopes it exactly as this one would.
 */
@Component
class Instances {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String PUBLIC = "/v1/";
    private static final String INTERNAL = "/v1/internal/";

    private final WebClient client = WebClient.create();

    /**
     * The other instance's answer to this request; empty when it answered 404 {@code notFoundCode} (it does not
     * hold the thing); any other problem is the caller's problem, as the instance gave it.
     */
    <T> Mono<T> ask(HostInfo host, ServerHttpRequest request, Class<T> type, String notFoundCode) {
        String path = request.getPath().value();
        String query = request.getURI().getRawQuery();
        String uri = "http://" + host.host() + ":" + host.port() + INTERNAL + path.substring(PUBLIC.length())
                + (query == null ? "" : "?" + query);
        return client.method(request.getMethod())
                .uri(uri)
                .headers(headers -> copy(request.getHeaders(), headers))
                .exchangeToMono(response -> {
                    if (response.statusCode().is2xxSuccessful()) {
                        return response.bodyToMono(type);
                    }
                    return response.bodyToMono(JsonNode.class)
                            .defaultIfEmpty(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode())
                            .flatMap(problem -> {
                                String code = problem.path("code").asString("");
                                if (response.statusCode().value() == 404 && code.equals(notFoundCode)) {
                                    return Mono.empty();
                                }
                                return Mono.error(new ApiException(
                                        HttpStatus.valueOf(response.statusCode().value()),
                                        code.isEmpty() ? "history_unavailable" : code,
                                        problem.path("detail").asString("another history instance failed")));
                            });
                })
                .timeout(TIMEOUT)
                .onErrorMap(
                        error -> error instanceof WebClientRequestException
                                || error instanceof java.util.concurrent.TimeoutException,
                        error -> HistoryQueries.unavailable());
    }

    private static void copy(HttpHeaders from, HttpHeaders to) {
        String authorization = from.getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            to.set(HttpHeaders.AUTHORIZATION, authorization);
        }
        String tenant = from.getFirst(Tenant.HEADER);
        if (tenant != null) {
            to.set(Tenant.HEADER, tenant);
        }
    }
}
