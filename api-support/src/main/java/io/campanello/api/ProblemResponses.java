package io.campanello.api;

import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/**
 * Writes a problem+json answer where no controller advice applies (web filters, errors outside the handlers). The
 * detail is one of Campanello's constants or none: nothing of the request or of an exception is echoed.
 */
final class ProblemResponses {

    private static final String PROBLEM =
            "{\"type\":\"https://campanello.io/problems/%s\",\"title\":\"%s\",\"status\":%d,%s\"code\":\"%s\"}";

    private ProblemResponses() {}

    static Mono<Void> write(ServerHttpResponse response, HttpStatusCode status, String code, String detail) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        String title = status instanceof org.springframework.http.HttpStatus known
                ? known.getReasonPhrase()
                : "HTTP " + status.value();
        String problem = PROBLEM.formatted(
                code.replace('_', '-'),
                title,
                status.value(),
                detail == null ? "" : "\"detail\":\"" + detail + "\",",
                code);
        DataBuffer body = response.bufferFactory().wrap(problem.getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(body));
    }
}
