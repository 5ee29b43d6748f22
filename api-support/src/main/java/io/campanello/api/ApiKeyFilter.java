package io.campanello.api;

import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Requires {@code Authorization: Bearer <api key>} on every {@code /v1/} call and records the key's tenant on the
 * exchange. Keys are looked up by their SHA-256 digest; a key is never logged. The path is matched decoded, as the
 * handlers match it, and a path that is not normal ({@link RequestPath}) is refused with 400 {@code invalid_path}
 * before anything else sees it.
 */
class ApiKeyFilter implements WebFilter, Ordered {

    private static final String PROTECTED_PREFIX = "/v1/";
    private static final String BEARER = "Bearer ";

    private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    private final ApiKeys keys;

    ApiKeyFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        var path = RequestPath.normalised(exchange.getRequest().getPath().value());
        if (path.isEmpty()) {
            return refuse(
                    exchange.getResponse(),
                    HttpStatus.BAD_REQUEST,
                    "invalid_path",
                    "the path is not in normal form: no empty, . or .. segments, encoded slashes or backslashes,"
                            + " ; or control characters");
        }
        if (!path.get().startsWith(PROTECTED_PREFIX)) {
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
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return refuse(response, HttpStatus.UNAUTHORIZED, "unauthorized", detail);
    }

    private static Mono<Void> refuse(ServerHttpResponse response, HttpStatus status, String code, String detail) {
        return ProblemResponses.write(response, status, code, detail);
    }

    /** Before the handlers and before anything reads the body. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
