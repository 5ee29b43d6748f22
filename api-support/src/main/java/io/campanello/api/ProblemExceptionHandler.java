package io.campanello.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * The last word on an error no controller advice answered (one raised in a web filter, or while the response was
 * written): problem+json with a stable code instead of Spring Boot's error page, and never a message or a stack
 * trace of the cause.
 */
class ProblemExceptionHandler implements WebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        HttpStatusCode status = error instanceof ResponseStatusException answered
                ? answered.getStatusCode()
                : HttpStatus.INTERNAL_SERVER_ERROR;
        if (status.is5xxServerError()) {
            log.error("request failed", error);
        }
        exchange.getResponse().getHeaders().clear();
        return ProblemResponses.write(exchange.getResponse(), status, Problems.codeFor(status), null);
    }

    /** Before Spring Boot's error handler (-1) and WebFlux's status handler (0). */
    @Override
    public int getOrder() {
        return -2;
    }
}
