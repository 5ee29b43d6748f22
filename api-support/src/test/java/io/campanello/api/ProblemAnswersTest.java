package io.campanello.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ResponseStatusException;

/** Campanello's own failures answer with a code and nothing of their cause. */
class ProblemAnswersTest {

    @Test
    void anUnexpectedErrorInAHandlerIsAnInternalErrorWithoutDetail() {
        ResponseEntity<ProblemDetail> answer =
                new ProblemAdvice().unexpected(new IllegalStateException("db password=hunter2"));

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(answer.getBody().getProperties()).containsEntry(Problems.CODE, "internal_error");
        assertThat(answer.getBody().getDetail()).isNull();
    }

    @Test
    void anErrorOutsideTheHandlersIsAProblemWithoutItsMessageOrTrace() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1/subscriptions"));

        new ProblemExceptionHandler()
                .handle(exchange, new IllegalStateException("db password=hunter2"))
                .block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(exchange.getResponse().getBodyAsString().block())
                .contains("\"code\":\"internal_error\"")
                .doesNotContain("hunter2", "Exception", "detail");
    }

    @Test
    void aStatusRaisedOutsideTheHandlersKeepsItsStatusAndGetsACode() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/x"));

        new ProblemExceptionHandler()
                .handle(exchange, new ResponseStatusException(HttpStatus.METHOD_NOT_ALLOWED, "no"))
                .block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
        assertThat(exchange.getResponse().getBodyAsString().block()).contains("\"code\":\"method_not_allowed\"");
    }
}
