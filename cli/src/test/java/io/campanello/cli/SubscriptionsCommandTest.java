package io.campanello.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SubscriptionsCommandTest {

    private static final String SUBSCRIPTION = "{\"id\":\"sub_1\",\"url\":\"https://hooks.example.com/a\","
            + "\"eventTypes\":[\"order.*\",\"refund.created\"],\"mode\":\"EVERY_TIME\",\"status\":\"%s\",\"revision\":1}";

    private final FakeApi api = new FakeApi();

    SubscriptionsCommandTest() throws Exception {}

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void listsSubscriptionsAsATable() {
        api.answer("GET", "/v1/subscriptions", 200, "[" + SUBSCRIPTION.formatted("ACTIVE") + "]");

        var result = Cli.against(api).run("subscriptions", "list");

        assertThat(result.out())
                .isEqualTo("ID     STATUS  MODE        EVENT TYPES             URL\n"
                        + "sub_1  ACTIVE  EVERY_TIME  order.*,refund.created  https://hooks.example.com/a\n");
        assertThat(api.only().method()).isEqualTo("GET");
    }

    @Test
    void createsWithRepeatedTypesAndPrintsTheSecretOnce() {
        api.answer(
                "POST",
                "/v1/subscriptions",
                201,
                SUBSCRIPTION.formatted("ACTIVE").replace("}", ",\"secret\":\"whsec_abc\"}"));

        var result = Cli.against(api)
                .run(
                        "subscriptions",
                        "create",
                        "--url",
                        "https://hooks.example.com/a",
                        "--type",
                        "order.*",
                        "--type",
                        "refund.created",
                        "--filter",
                        "data.amount > 100",
                        "--mode",
                        "ON_TRANSITION",
                        "--activate");

        assertThat(result.exitCode()).isZero();
        assertThat(Json.parse(api.only().body()))
                .isEqualTo(Json.parse("{\"url\":\"https://hooks.example.com/a\",\"eventTypes\":[\"order.*\","
                        + "\"refund.created\"],\"filter\":\"data.amount > 100\",\"mode\":\"ON_TRANSITION\","
                        + "\"activate\":true}"));
        assertThat(result.out()).startsWith("sub_1  ACTIVE\nsecret: whsec_abc\n");
        assertThat(result.out().split("whsec_abc", -1)).hasSize(2);
    }

    @Test
    void createWithoutActivateSendsOnlyWhatWasGiven() {
        api.answer("POST", "/v1/subscriptions", 201, SUBSCRIPTION.formatted("DRAFT"));

        Cli.against(api).run("subscriptions", "create", "--url", "https://h.example.com", "--type", "a.b");

        assertThat(Json.parse(api.only().body()))
                .isEqualTo(Json.parse("{\"url\":\"https://h.example.com\",\"eventTypes\":[\"a.b\"]}"));
    }

    @Test
    void activatePauseAndResumePostToTheSubscriptionsAction() {
        api.answer("POST", "/v1/subscriptions/sub_1/activate", 200, SUBSCRIPTION.formatted("ACTIVE"));
        api.answer("POST", "/v1/subscriptions/sub_1/pause", 200, SUBSCRIPTION.formatted("PAUSED"));
        api.answer("POST", "/v1/subscriptions/sub_1/resume", 200, SUBSCRIPTION.formatted("ACTIVE"));
        var cli = Cli.against(api);

        assertThat(cli.run("subscriptions", "activate", "sub_1").out()).isEqualTo("sub_1  ACTIVE\n");
        assertThat(cli.run("subscriptions", "pause", "sub_1").out()).isEqualTo("sub_1  PAUSED\n");
        assertThat(cli.run("subscriptions", "resume", "sub_1").out()).isEqualTo("sub_1  ACTIVE\n");
        assertThat(api.requests())
                .extracting(FakeApi.Request::path)
                .containsExactly(
                        "/v1/subscriptions/sub_1/activate",
                        "/v1/subscriptions/sub_1/pause",
                        "/v1/subscriptions/sub_1/resume");
    }

    @Test
    void sendsTheTenantHeaderForTheAdminKey() {
        api.answer("GET", "/v1/subscriptions", 200, "[]");

        var result = Cli.against(api).run("--tenant", "acme", "--output", "json", "subscriptions", "list");

        assertThat(api.only().header("Campanello-Tenant")).isEqualTo("acme");
        assertThat(Json.parse(result.out()).isArray()).isTrue();
    }

    @Test
    void sendsNoTenantHeaderUnlessAsked() {
        api.answer("GET", "/v1/subscriptions", 200, "[]");

        Cli.against(api).run("subscriptions", "list");

        assertThat(api.only().header("Campanello-Tenant")).isNull();
    }

    @Test
    void healthSaysWhyDeliveriesWaitSummedAndPerInstance() {
        api.answer(
                "GET",
                "/v1/subscriptions/sub_1/health",
                200,
                "{\"subscriptionId\":\"sub_1\",\"status\":\"ACTIVE\",\"url\":\"https://hooks.example.com/a\","
                        + "\"circuit\":\"OPEN\",\"nextProbeAt\":\"2026-11-28T03:00:30Z\",\"consecutiveFailures\":12,"
                        + "\"lastStatus\":500,\"lastAttemptAt\":\"2026-11-28T03:00:00Z\","
                        + "\"failingSince\":\"2026-11-28T02:41:00Z\",\"waiting\":{\"inFlight\":0,\"queued\":1,"
                        + "\"deferred\":28,\"retrying\":2,\"parked\":false},\"instances\":[{\"instance\":\"dispatcher-0:8083\","
                        + "\"circuit\":\"OPEN\",\"nextProbeAt\":\"2026-11-28T03:00:30Z\",\"consecutiveFailures\":12,"
                        + "\"waiting\":{\"inFlight\":0,\"queued\":1,\"deferred\":28,\"retrying\":2,\"parked\":false},"
                        + "\"updatedAt\":\"2026-11-28T03:00:01Z\"}]}");

        var result = Cli.against(api).run("subscriptions", "health", "sub_1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("sub_1  ACTIVE  https://hooks.example.com/a\n")
                .contains("circuit       OPEN, next probe at 2026-11-28T03:00:30Z\n")
                .contains("failures      12 in a row, failing since 2026-11-28T02:41:00Z\n")
                .contains("last request  status 500 at 2026-11-28T03:00:00Z\n")
                .contains("waiting       0 in flight, 1 queued, 28 deferred, 2 in retry tiers, parked: no\n")
                .containsPattern("dispatcher-0:8083 +OPEN +2026-11-28T03:00:30Z +12 +0 +1 +28 +2 ");
    }

    @Test
    void healthOfAnUnknownSubscriptionIsRefused() {
        api.problem(
                "GET", "/v1/subscriptions/sub_nope/health", 404, "subscription_not_found", "no subscription sub_nope");

        var result = Cli.against(api).run("subscriptions", "health", "sub_nope");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: no subscription sub_nope (subscription_not_found)\n");
    }
}
