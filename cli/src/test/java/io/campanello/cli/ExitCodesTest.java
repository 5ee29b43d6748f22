package io.campanello.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each exit code of the contract in {@code --help}, caused the way a person would cause it. */
class ExitCodesTest {

    private final FakeApi api = new FakeApi();

    ExitCodesTest() throws Exception {}

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void exitsZeroWhenTheApiAccepts() {
        api.answer("GET", "/v1/subscriptions", 200, "[]");

        assertThat(Cli.against(api).run("subscriptions", "list").exitCode()).isZero();
    }

    @Test
    void exitsOneWhenTheApiRefuses() {
        api.problem("POST", "/v1/subscriptions/sub_1/resume", 409, "invalid_status_transition", "DRAFT cannot resume");

        var result = Cli.against(api).run("subscriptions", "resume", "sub_1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: DRAFT cannot resume (invalid_status_transition)\n");
    }

    @Test
    void exitsOneWithTheStatusWhenTheErrorIsNotAProblem() {
        api.answer("GET", "/v1/subscriptions", 502, "<html>bad gateway</html>");

        var result = Cli.against(api).run("subscriptions", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: HTTP 502 from ").endsWith("(http_502)\n");
    }

    @Test
    void exitsTwoOnAnUnknownOption() {
        var result = Cli.against(api).run("dlq", "list", "--bogus");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .startsWith("error: Unknown option: '--bogus'")
                .endsWith("See 'campanello dlq list --help'.\n");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void exitsTwoWithoutAnApiKey() {
        var result = Cli.against(api).withoutEnv("CAMPANELLO_API_KEY").run("subscriptions", "list");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .isEqualTo("error: an API key is required: --api-key or CAMPANELLO_API_KEY\n"
                        + "See 'campanello subscriptions list --help'.\n");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void exitsThreeWhenNothingListensAtTheUrl() throws Exception {
        String closed;
        try (var gone = new FakeApi()) {
            closed = gone.url();
        }

        var result = Cli.against(api).run("--retry-url", closed, "dlq", "list");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).startsWith("error: cannot connect to " + closed);
    }

    @Test
    void exitsFourWhenTheKeyIsNotValid() {
        api.problem("GET", "/v1/dead-letters", 401, "unauthorized", "the API key is not valid");

        var result = Cli.against(api).run("dlq", "list");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).isEqualTo("error: the API key is not valid (unauthorized)\n");
    }

    @Test
    void helpListsTheExitCodesAndTheEnvironment() {
        var result = Cli.against(api).run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("Exit codes:")
                .containsPattern("3\\s+cannot connect to the service")
                .containsPattern("4\\s+unauthorized \\(401\\)")
                .containsPattern("CAMPANELLO_RETRY_URL\\s+--retry-url");
    }
}
