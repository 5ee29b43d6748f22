package io.campanello.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DlqCommandTest {

    private final FakeApi api = new FakeApi();

    DlqCommandTest() throws Exception {}

    @AfterEach
    void stop() {
        api.close();
    }

    static String deadLetter(int n) {
        return ("{\"id\":\"dl_%d\",\"deliveryId\":\"dlv_%d\",\"subscriptionId\":\"sub_1\",\"eventId\":\"evt_%d\","
                        + "\"eventType\":\"order.created\",\"reason\":\"exhausted\",\"lastStatus\":503,"
                        + "\"lastError\":\"Service Unavailable\",\"attempts\":9,\"firstAttemptAt\":\"2026-11-22T10:00:00Z\","
                        + "\"lastAttemptAt\":\"2026-11-23T07:00:00Z\",\"deadAt\":\"2026-11-23T07:00:0%dZ\"}")
                .formatted(n, n, n, n % 10);
    }

    static String page(String cursor, int... numbers) {
        String items =
                IntStream.of(numbers).mapToObj(DlqCommandTest::deadLetter).collect(Collectors.joining(","));
        return "{\"items\":[" + items + "],\"nextCursor\":" + (cursor == null ? "null" : "\"" + cursor + "\"") + "}";
    }

    @Test
    void sendsTheFiltersAsQueryParametersWithRelativeTimesAsInstants() {
        api.answer("GET", "/v1/dead-letters", 200, page(null));

        var result = Cli.against(api)
                .run(
                        "dlq",
                        "list",
                        "--subscription",
                        "sub_1",
                        "--type",
                        "order.created",
                        "--reason",
                        "exhausted",
                        "--since",
                        "2h",
                        "--until",
                        "2026-11-23T11:30:00+01:00");

        assertThat(result.exitCode()).isZero();
        var request = api.only();
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + Cli.API_KEY);
        assertThat(request.params())
                .containsEntry("subscription", "sub_1")
                .containsEntry("type", "order.created")
                .containsEntry("reason", "exhausted")
                .containsEntry("since", "2026-11-23T10:00:00Z")
                .containsEntry("until", "2026-11-23T10:30:00Z")
                .containsEntry("limit", "100")
                .doesNotContainKey("cursor");
        assertThat(result.out()).isEqualTo("no dead letters match\n");
    }

    @Test
    void sinceInDaysCountsBackFromNow() {
        api.answer("GET", "/v1/dead-letters", 200, page(null));

        Cli.against(api).run("dlq", "list", "--since", "1d");

        assertThat(api.only().params()).containsEntry("since", "2026-11-22T12:00:00Z");
    }

    @Test
    void refusesATimeItCannotReadAsAUsageError() {
        var result = Cli.against(api).run("dlq", "list", "--since", "yesterday");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--since: 'yesterday' is not a time");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void followsTheCursorUntilTheLimitIsReached() {
        api.answer("GET", "/v1/dead-letters", 200, page("c1", 1, 2), page("c2", 3, 4), page("c3", 5, 6));

        var result = Cli.against(api).run("--output", "json", "dlq", "list", "--type", "order.created", "--limit", "5");

        var requests = api.requests();
        assertThat(requests).hasSize(3);
        assertThat(requests).extracting(r -> r.params().get("cursor")).containsExactly(null, "c1", "c2");
        assertThat(requests).extracting(r -> r.params().get("limit")).containsExactly("5", "3", "1");
        assertThat(requests).allSatisfy(r -> assertThat(r.params()).containsEntry("type", "order.created"));
        var json = Json.parse(result.out());
        assertThat(json.path("items")).hasSize(5);
        assertThat(json.path("items").get(4).path("id").asString()).isEqualTo("dl_5");
        assertThat(json.path("nextCursor").asString()).isEqualTo("c3");
    }

    @Test
    void stopsPagingWhenThereIsNoNextCursor() {
        api.answer("GET", "/v1/dead-letters", 200, page("c1", 1), page(null, 2));

        var result = Cli.against(api).run("dlq", "list");

        assertThat(api.requests()).hasSize(2);
        assertThat(result.out().lines()).hasSize(3);
        assertThat(result.err()).isEmpty();
    }

    @Test
    void printsATableAndSaysWhenMoreMatch() {
        api.answer("GET", "/v1/dead-letters", 200, page("c1", 1, 2));

        var result = Cli.against(api).run("dlq", "list", "--limit", "2");

        assertThat(result.out())
                .isEqualTo("ID    DEAD AT               REASON     SUBSCRIPTION  EVENT TYPE     ATTEMPTS  LAST STATUS\n"
                        + "dl_1  2026-11-23T07:00:01Z  exhausted  sub_1         order.created  9         503\n"
                        + "dl_2  2026-11-23T07:00:02Z  exhausted  sub_1         order.created  9         503\n");
        assertThat(result.err()).isEqualTo("(showing 2; more match: raise --limit)\n");
    }

    @Test
    void showsOneDeadLetterWithItsEvent() {
        api.answer(
                "GET",
                "/v1/dead-letters/dl_7",
                200,
                deadLetter(7).replace("}", ",\"event\":{\"type\":\"order.created\",\"data\":{\"amount\":150}}}"));

        var result = Cli.against(api).run("dlq", "show", "dl_7");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("reason          exhausted\n")
                .contains("lastError       Service Unavailable\n")
                .contains("attempts        9\n")
                .contains("event:\n")
                .contains("\"amount\" : 150");
        assertThat(api.only().path()).isEqualTo("/v1/dead-letters/dl_7");
    }

    @Test
    void showOfAnUnknownIdExitsOne() {
        api.problem("GET", "/v1/dead-letters/dl_x", 404, "dead_letter_not_found", "no dead letter dl_x");

        var result = Cli.against(api).run("dlq", "show", "dl_x");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: no dead letter dl_x (dead_letter_not_found)\n");
    }
}
