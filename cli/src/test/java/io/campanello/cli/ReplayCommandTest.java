package io.campanello.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplayCommandTest {

    private final FakeApi api = new FakeApi();

    ReplayCommandTest() throws Exception {}

    @AfterEach
    void stop() {
        api.close();
    }

    static String status(String state, boolean dryRun, long scanned, long matched, long sent, long failed) {
        return ("{\"id\":\"rpl_1\",\"state\":\"%s\",\"dryRun\":%s,\"ratePerSecond\":10,\"filter\":{\"reason\":"
                        + "\"exhausted\"},\"scanned\":%d,\"matched\":%d,\"sent\":%d,\"failed\":%d,"
                        + "\"createdAt\":\"2026-11-23T12:00:00Z\",\"finishedAt\":null}")
                .formatted(state, dryRun, scanned, matched, sent, failed);
    }

    private void started(boolean dryRun) {
        api.answer("POST", "/v1/replays", 202, status("RUNNING", dryRun, 0, 0, 0, 0));
    }

    @Test
    void postsTheFilterRateAndDryRunWithTimesAsInstants() {
        started(false);
        api.answer("GET", "/v1/replays/rpl_1", 200, status("COMPLETED", false, 10, 4, 4, 0));

        Cli.against(api)
                .run(
                        "dlq",
                        "replay",
                        "--subscription",
                        "sub_1",
                        "--type",
                        "order.created",
                        "--reason",
                        "exhausted",
                        "--since",
                        "30m",
                        "--until",
                        "2026-11-23T11:59:00Z",
                        "--rate",
                        "25");

        var post = api.requests("POST", "/v1/replays").get(0);
        assertThat(post.header("Authorization")).isEqualTo("Bearer " + Cli.API_KEY);
        assertThat(Json.parse(post.body()))
                .isEqualTo(Json.parse("{\"filter\":{\"subscription\":\"sub_1\",\"type\":\"order.created\","
                        + "\"reason\":\"exhausted\",\"since\":\"2026-11-23T11:30:00Z\",\"until\":"
                        + "\"2026-11-23T11:59:00Z\"},\"dryRun\":false,\"ratePerSecond\":25}"));
    }

    @Test
    void leavesOutWhatWasNotGiven() {
        started(true);
        api.answer("GET", "/v1/replays/rpl_1", 200, status("COMPLETED", true, 10, 4, 0, 0));

        Cli.against(api).run("dlq", "replay", "--reason", "exhausted", "--dry-run");

        assertThat(Json.parse(api.requests("POST", "/v1/replays").get(0).body()))
                .isEqualTo(Json.parse("{\"filter\":{\"reason\":\"exhausted\"},\"dryRun\":true}"));
    }

    @Test
    void waitsWithAProgressBarUntilTheReplayCompletesThenPrintsASummary() {
        started(false);
        api.answer(
                "GET",
                "/v1/replays/rpl_1",
                200,
                status("RUNNING", false, 6, 4, 1, 0),
                status("RUNNING", false, 10, 4, 3, 0),
                status("COMPLETED", false, 10, 4, 4, 0));

        var result = Cli.against(api).run("dlq", "replay", "--reason", "exhausted", "--rate", "10");

        assertThat(result.exitCode()).isZero();
        assertThat(api.requests("GET", "/v1/replays/rpl_1")).hasSize(3);
        assertThat(result.err()).contains("\rReplay").contains("4/4").contains("scanned 10");
        assertThat(result.out())
                .isEqualTo("replay rpl_1 COMPLETED\n  scanned  10\n  matched  4\n  sent     4\n  failed   0\n");
    }

    @Test
    void exitsOneWhenSomeDeliveriesFailed() {
        started(false);
        api.answer(
                "GET",
                "/v1/replays/rpl_1",
                200,
                status("RUNNING", false, 10, 4, 1, 1),
                status("COMPLETED", false, 10, 4, 3, 1));

        var result = Cli.against(api).run("dlq", "replay", "--type", "order.created");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("failed   1");
        assertThat(result.err()).contains("4/4").contains("failed 1");
    }

    @Test
    void exitsOneWhenTheReplayFailed() {
        started(false);
        api.answer("GET", "/v1/replays/rpl_1", 200, status("FAILED", false, 3, 2, 0, 0));

        var result = Cli.against(api).run("dlq", "replay", "--type", "order.created");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).startsWith("replay rpl_1 FAILED\n");
    }

    @Test
    void aDryRunSaysNothingWasSentAndExitsZero() {
        started(true);
        api.answer(
                "GET",
                "/v1/replays/rpl_1",
                200,
                status("RUNNING", true, 50, 3, 0, 0),
                status("COMPLETED", true, 100, 7, 0, 0));

        var result = Cli.against(api).run("dlq", "replay", "--since", "1d", "--dry-run");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("replay rpl_1 COMPLETED (dry run: nothing was sent)\n");
        assertThat(result.out()).contains("matched  7");
        assertThat(result.err()).contains("Dry run").contains("matched 7");
    }

    @Test
    void printsTheFinalStatusJsonForScriptsWithoutAProgressBar() {
        started(false);
        api.answer(
                "GET",
                "/v1/replays/rpl_1",
                200,
                status("RUNNING", false, 10, 4, 1, 0),
                status("COMPLETED", false, 10, 4, 4, 0));

        var result = Cli.against(api).run("--output", "json", "dlq", "replay", "--reason", "exhausted");

        assertThat(result.exitCode()).isZero();
        assertThat(Json.parse(result.out())).isEqualTo(Json.parse(status("COMPLETED", false, 10, 4, 4, 0)));
        assertThat(result.err()).isEmpty();
        assertThat(api.requests("GET", "/v1/replays/rpl_1")).hasSize(2);
    }

    @Test
    void noWaitPrintsTheJobIdAndDoesNotPoll() {
        started(false);

        var result = Cli.against(api).run("dlq", "replay", "--reason", "exhausted", "--no-wait");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("rpl_1\n").contains("campanello replays cancel rpl_1");
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void refusesToReplayEverythingWithoutAll() {
        var result = Cli.against(api).run("dlq", "replay");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("no filter").contains("--all");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void allReplaysWithAnEmptyFilter() {
        started(false);
        api.answer("GET", "/v1/replays/rpl_1", 200, status("COMPLETED", false, 10, 10, 10, 0));

        var result = Cli.against(api).run("dlq", "replay", "--all");

        assertThat(result.exitCode()).isZero();
        assertThat(Json.parse(api.requests("POST", "/v1/replays").get(0).body()))
                .isEqualTo(Json.parse("{\"filter\":{},\"dryRun\":false}"));
    }

    @Test
    void interruptingTheWaitStopsWaitingAndSaysHowToCancel() throws Exception {
        started(false);
        api.answer("GET", "/v1/replays/rpl_1", 200, status("RUNNING", false, 10, 4, 1, 0));
        var cli = Cli.against(api).pollingEvery(Duration.ofMillis(5));
        var result = new AtomicReference<Cli.Result>();
        var waiter = new Thread(() -> result.set(cli.run("dlq", "replay", "--reason", "exhausted")));

        waiter.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.requests("GET", "/v1/replays/rpl_1").size() >= 2);
        waiter.interrupt();
        waiter.join(Duration.ofSeconds(10).toMillis());

        assertThat(waiter.isAlive()).isFalse();
        assertThat(result.get().exitCode()).isEqualTo(130);
        assertThat(result.get().err())
                .contains("stopped waiting: replay rpl_1 goes on")
                .contains("campanello replays cancel rpl_1");
        assertThat(api.requests("DELETE", "/v1/replays/rpl_1")).isEmpty();
    }

    @Test
    void replaysStatusPrintsTheSummary() {
        api.answer("GET", "/v1/replays/rpl_1", 200, status("RUNNING", false, 10, 4, 1, 0));

        var result = Cli.against(api).run("replays", "status", "rpl_1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("replay rpl_1 RUNNING\n").contains("sent     1");
    }

    @Test
    void replaysCancelSendsADelete() {
        api.answer("DELETE", "/v1/replays/rpl_1", 200, status("CANCELLED", false, 10, 4, 2, 0));

        var result = Cli.against(api).run("replays", "cancel", "rpl_1");

        assertThat(result.exitCode()).isZero();
        assertThat(api.only().method()).isEqualTo("DELETE");
        assertThat(api.only().header("Authorization")).isEqualTo("Bearer " + Cli.API_KEY);
        assertThat(result.out()).startsWith("replay rpl_1 CANCELLED\n");
    }

    @Test
    void replaysCancelOfAFinishedReplayExitsOne() {
        api.problem("DELETE", "/v1/replays/rpl_1", 409, "replay_finished", "replay rpl_1 is COMPLETED");

        var result = Cli.against(api).run("replays", "cancel", "rpl_1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: replay rpl_1 is COMPLETED (replay_finished)\n");
    }
}
