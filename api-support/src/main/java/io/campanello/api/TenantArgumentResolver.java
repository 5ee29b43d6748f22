package io.campanello.api;

import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Lets a controller method take the caller's {@link Tenant} as a parameter. */
class TenantArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return Tenant.class.equals(parameter.getParameterType());
    }

    @Override
    public Mono<Object> resolveArgument(
            MethodParameter parameter, BindingContext bindingContext, ServerWebExchange exchange) {
        Tenant tenant = exchange.getAttribute(Tenant.ATTRIBUTE);
        return tenant == null
                ? Mono.error(new IllegalStateException("no tenant on a call that passed the API key filter"))
                : Mono.just(tenant);
    }
}
