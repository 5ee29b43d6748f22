package io.campanello.console;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Forwards {@code /v1/**} (and the inspector's bins) to the service that owns the path: method, query, headers
 * (the Authorization header unchanged) and body streamed both ways. A service that is not configured answers 404
 * {@code service_not_configured}; one that cannot be reached or does not answer in time, 502
 * {@code service_unavailable}. Nothing of the request but its route is logged.
 */
class Forwarder implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

    /** Hop-by-hop headers (RFC 9110 §7.6.1) and what the console must not pass on. */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "cookie",
            "set-cookie");

    private final WebClient client;
    private final ConsoleProperties.Services services;
    private final ProblemWriter problems;

    Forwarder(WebClient client, ConsoleProperties.Services services, ProblemWriter problems) {
        this.client = client;
        this.services = services;
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getURI().getRawPath();
        boolean api = path.equals("/v1") || path.startsWith("/v1/") || path.startsWith(Route.INSPECTOR_PREFIX + "/");
        if (!api) {
            return chain.filter(exchange);
        }
        Optional<Route> route = Route.of(path);
        if (route.isEmpty()) {
            return problems.write(exchange.getResponse(), HttpStatus.NOT_FOUND, "not_found", "no API at " + path);
        }
        Service service = route.get().service();
        URI base = services.baseOf(service);
        if (base == null) {
            return problems.write(
                    exchange.getResponse(),
                    HttpStatus.NOT_FOUND,
                    "service_not_configured",
                    "the console has no address for the " + service.displayName() + " service");
        }
        return forward(exchange, service, target(base, route.get().path(), request.getURI()));
    }

    private static URI target(URI base, String path, URI original) {
        String root = base.toString().replaceAll("/+$", "");
        String query = original.getRawQuery();
        return URI.create(root + path + (query == null ? "" : "?" + query));
    }

    private Mono<Void> forward(ServerWebExchange exchange, Service service, URI target) {
        ServerHttpRequest request = exchange.getRequest();
        ServerHttpResponse response = exchange.getResponse();
        WebClient.RequestBodySpec upstream =
                client.method(request.getMethod()).uri(target).headers(headers -> copy(request.getHeaders(), headers));
        if (hasBody(request.getHeaders())) {
            upstream.body(BodyInserters.fromDataBuffers(request.getBody()));
        }
        return upstream.exchangeToMono(answer -> {
                    response.setStatusCode(answer.statusCode());
                    copy(answer.headers().asHttpHeaders(), response.getHeaders());
                    return response.writeWith(answer.bodyToFlux(DataBuffer.class));
                })
                .onErrorResume(WebClientRequestException.class, failure -> {
                    log.warn(
                            "service unreachable: service={} method={} path={} error={}",
                            service.displayName(),
                            request.getMethod(),
                            request.getURI().getRawPath(),
                            failure.getMostSpecificCause().getClass().getSimpleName());
                    if (response.isCommitted()) {
                        return Mono.error(failure);
                    }
                    return problems.write(
                            response,
                            HttpStatus.BAD_GATEWAY,
                            "service_unavailable",
                            "the " + service.displayName() + " service did not answer");
                });
    }

    private static boolean hasBody(HttpHeaders headers) {
        return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }

    private static void copy(HttpHeaders from, HttpHeaders to) {
        from.forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                to.put(name, values);
            }
        });
    }
}
