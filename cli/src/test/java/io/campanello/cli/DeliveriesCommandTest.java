package io.campanello.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveriesCommandTest {

    private final FakeApi api = new FakeApi();

    DeliveriesCommandTest() throws Exception {}

    @AfterEach
    void stop() {
        api.close();
    }

    static String delivery(int n, String status) {
        return ("{\"id\":\"dlv_%d\",\"subscriptionId\":\"sub_1\",\"tenant\":\"default\",\"eventId\":\"evt_1\","
                        + "\"eventType\":\"order.created\",\"status\":\"%s\",\"createdAt\":\"2026-11-23T11:00:0%dZ\","
                        + "\"attempts\":2,\"lastStatus\":503,\"lastError\":null,\"lastAttemptAt\":null,"
                        + "\"nextAttemptAt\":\"2026-11-23T12:00:30Z\",\"deadReason\":null,\"test\":false}")
                .formatted(n, status, n % 10);
    }

    static String page(String cursor, int... numbers) {
        String items =
                IntStream.of(numbers).mapToObj(n -> delivery(n, "retrying")).collect(Collectors.joining(","));
        return "{\"items\":[" + items + "],\"nextCursor\":" + (cursor == null ? "null" : "\"" + cursor + "\"") + "}";
    }

    @Test
    void listsASubscriptionsDeliveriesWithItsFiltersAndFollowsTheCursor() {
        api.answer("GET", "/v1/subscriptions/sub_1/deliveries", 200, page("c1", 1, 2), page(null, 3));

        var result = Cli.against(api)
                .run(
                        "deliveries",
                        "list",
                        "--subscription",
                        "sub_1",
                        "--status",
                        "retrying",
                        "--type",
                        "order.created",
                        "--since",
                        "2h");

        assertThat(result.exitCode()).isZero();
        var requests = api.requests("GET", "/v1/subscriptions/sub_1/deliveries");
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).params())
                .containsEntry("status", "retrying")
                .containsEntry("type", "order.created")
                .containsEntry("since", "2026-11-23T10:00:00Z")
                .containsEntry("limit", "50")
                .doesNotContainKey("cursor");
        assertThat(requests.get(1).params()).containsEntry("cursor", "c1").containsEntry("limit", "48");
        assertThat(result.out())
                .contains("STATUS", "dlv_1", "dlv_2", "dlv_3", "retrying", "503", "2026-11-23T12:00:30Z");
    }

    @Test
    void showsOneDeliveryWithEveryAttemptAndItsPayload() {
        api.answer(
                "GET",
                "/v1/deliveries/dlv_1",
                200,
                "{\"delivery\":" + delivery(1, "delivered") + ",\"attempts\":["
                        + "{\"attempt\":1,\"startedAt\":\"2026-11-23T11:00:00Z\",\"durationMillis\":30000,"
                        + "\"outcome\":\"retryable\",\"status\":null,\"error\":\"timeout\","
                        + "\"errorDetail\":\"no answer in 30 s\"},"
                        + "{\"attempt\":2,\"startedAt\":\"2026-11-23T11:00:35Z\",\"durationMillis\":42,"
                        + "\"outcome\":\"delivered\",\"status\":200}],"
                        + "\"payload\":{\"id\":\"evt_1\",\"type\":\"order.created\",\"data\":{\"amount\":150}}}");

        var result = Cli.against(api).run("deliveries", "show", "dlv_1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("status          delivered")
                .contains("timeout: no answer in 30 s")
                .contains("delivered", "200", "42")
                .contains("\"amount\" : 150");
    }

    @Test
    void redeliversAndSaysSo() {
        api.answer(
                "POST",
                "/v1/deliveries/dlv_1/redeliver",
                202,
                "{\"deliveryId\":\"dlv_1\",\"subscriptionId\":\"sub_1\",\"status\":\"pending\"}");

        var result = Cli.against(api).run("deliveries", "redeliver", "dlv_1");

        assertThat(result.exitCode()).isZero();
        assertThat(api.only().method()).isEqualTo("POST");
        assertThat(result.out()).isEqualTo("redelivering dlv_1 (same webhook-id)\n");
    }

    @Test
    void anUnknownDeliveryIsTheApisProblem() {
        api.problem("GET", "/v1/deliveries/dlv_9", 404, "delivery_not_found", "no delivery dlv_9 in the history");

        var result = Cli.against(api).run("deliveries", "show", "dlv_9");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(result.err()).contains("no delivery dlv_9 in the history (delivery_not_found)");
    }

    @Test
    void tracesAnEventToEachSubscription() {
        api.answer("GET", "/v1/events/evt_1/deliveries", 200, page(null, 1, 2));

        var result = Cli.against(api).run("events", "trace", "evt_1");

        assertThat(result.exitCode()).isZero();
        assertThat(api.only().params()).containsEntry("limit", "1000");
        assertThat(result.out()).contains("dlv_1", "dlv_2", "sub_1", "retrying");
    }

    @Test
    void listWithoutASubscriptionIsAUsageError() {
        var result = Cli.against(api).run("deliveries", "list");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(api.requests()).isEmpty();
    }
}
