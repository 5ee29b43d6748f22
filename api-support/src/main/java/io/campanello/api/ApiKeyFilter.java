package io.campanello.api;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Requires {@code Authorization: Bearer <api key>} on every {@code /v1/} call and records the key's tenant on the
 * exchange. Keys are looked up by their SHA-256 digest; a key is never logged.
 */
class ApiKeyFilter implements WebFilter, Ordered {

    private static final String PROTECTED_PREFIX = "/v1/";
    private static final String BEARER = "Bearer ";
    private static final String PROBLEM = "{\"type\":\"https://campanello.io/problems/unauthorized\",\"title\":"
            + "\"Unauthorized\",\"status\":401,\"detail\":\"%s\",\"code\":\"unauthorized\"}";

    private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    private final ApiKeys keys;

    ApiKeyFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().startsWith(PROTECTED_PREFIX)) {
            return chain.filter(exchange);
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return unauthorized(exchange.getResponse(), "an API key is required: Authorization: Bearer <key>");
        }
        var owner = keys.owner(authorization.substring(BEARER.length()).trim());
        if (owner.isEmpty()) {
            return unauthorized(exchange.getResponse(), "the API key is not valid");
        }
        Tenant tenant;
        if (owner.get().admin()) {
            String chosen = exchange.getRequest().getHeaders().getFirst(Tenant.HEADER);
            if (chosen != null && !TENANT_ID.matcher(chosen).matches()) {
                return unauthorized(exchange.getResponse(), "the Campanello-Tenant header is not a tenant id");
            }
            tenant = new Tenant(chosen == null ? "default" : chosen, true);
        } else {
            tenant = new Tenant(owner.get().tenant(), false);
        }
        exchange.getAttributes().put(Tenant.ATTRIBUTE, tenant);
        return chain.filter(exchange);
    }

    private static Mono<Void> unauthorized(ServerHttpResponse response, String detail) {
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        DataBuffer body =
                response.bufferFactory().wrap(PROBLEM.formatted(detail).getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(body));
    }

    /** Before the handlers and before anything reads the body. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
