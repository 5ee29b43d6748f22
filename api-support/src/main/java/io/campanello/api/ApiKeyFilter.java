package io.campanello.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * exchange. Keys are compared as SHA-256 digests in constant time; the key itself is never logged.
 */
class ApiKeyFilter implements WebFilter, Ordered {

    private static final String PROTECTED_PREFIX = "/v1/";
    private static final String BEARER = "Bearer ";
    private static final String PROBLEM = "{\"type\":\"https://campanello.io/problems/unauthorized\",\"title\":"
            + "\"Unauthorized\",\"status\":401,\"detail\":\"%s\",\"code\":\"unauthorized\"}";

    private final byte[] keyDigest;
    private final Tenant tenant;

    ApiKeyFilter(ApiProperties properties) {
        this.keyDigest = properties.key() == null || properties.key().isBlank() ? null : sha256(properties.key());
        this.tenant = new Tenant(properties.tenant());
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
        if (keyDigest == null
                || !MessageDigest.isEqual(
                        keyDigest,
                        sha256(authorization.substring(BEARER.length()).trim()))) {
            return unauthorized(exchange.getResponse(), "the API key is not valid");
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

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Before the handlers and before anything reads the body. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
