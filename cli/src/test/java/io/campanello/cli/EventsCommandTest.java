package io.campanello.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventsCommandTest {

    private final FakeApi api = new FakeApi();

    EventsCommandTest() throws Exception {}

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void postsTheEventWithTheKeyAndPrintsItsId() {
        api.answer("POST", "/v1/events", 202, "{\"id\":\"evt_1\"}");

        var result = Cli.against(api)
                .run(
                        "events",
                        "send",
                        "--type",
                        "order.created",
                        "--subject",
                        "order-42",
                        "--source",
                        "shop",
                        "--data",
                        "{\"amount\": 150}");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("evt_1\n");
        var request = api.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/events");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + Cli.API_KEY);
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(Json.parse(request.body()))
                .isEqualTo(Json.parse("{\"type\":\"order.created\",\"subject\":\"order-42\",\"source\":\"shop\","
                        + "\"data\":{\"amount\":150}}"));
    }

    @Test
    void readsDataFromAFileAndLeavesOutAbsentAttributes(@TempDir Path dir) throws Exception {
        api.answer("POST", "/v1/events", 202, "{\"id\":\"evt_2\"}");
        Path file = Files.writeString(dir.resolve("data.json"), "{\"sku\": \"X\", \"qty\": [1, 2]}");

        var result = Cli.against(api).run("events", "send", "--type", "stock.low", "--data", "@" + file);

        assertThat(result.exitCode()).isZero();
        assertThat(Json.parse(api.only().body()))
                .isEqualTo(Json.parse("{\"type\":\"stock.low\",\"data\":{\"sku\":\"X\",\"qty\":[1,2]}}"));
    }

    @Test
    void printsTheApiJsonWithOutputJson() {
        api.answer("POST", "/v1/events", 202, "{\"id\":\"evt_3\"}");

        var result = Cli.against(api).run("--output", "json", "events", "send", "--type", "a.b");

        assertThat(Json.parse(result.out())).isEqualTo(Json.parse("{\"id\":\"evt_3\"}"));
    }

    @Test
    void refusesDataThatIsNotJsonAsAUsageErrorWithoutCallingTheApi() {
        var result = Cli.against(api).run("events", "send", "--type", "a.b", "--data", "{amount:");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--data is not JSON");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void printsTheProblemOfARefusedEventAndExitsOne() {
        api.problem("POST", "/v1/events", 400, "invalid_event", "data.amount: must be a number");

        var result = Cli.against(api).run("events", "send", "--type", "order.created", "--data", "{\"amount\":\"x\"}");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: data.amount: must be a number (invalid_event)\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void optionsOverrideTheEnvironment() throws Exception {
        try (var other = new FakeApi()) {
            other.answer("POST", "/v1/events", 202, "{\"id\":\"evt_4\"}");

            var result = Cli.against(api)
                    .run("events", "send", "--type", "a.b", "--ingest-url", other.url(), "--api-key", "cmp_flag");

            assertThat(result.exitCode()).isZero();
            assertThat(api.requests()).isEmpty();
            assertThat(other.only().header("Authorization")).isEqualTo("Bearer cmp_flag");
        }
    }
}
