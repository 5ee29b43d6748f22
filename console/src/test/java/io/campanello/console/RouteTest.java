package io.campanello.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void sendsEachApiToTheServiceThatOwnsIt() {
        assertThat(Route.of("/v1/subscriptions")).contains(new Route(Service.SUBSCRIPTIONS, "/v1/subscriptions"));
        assertThat(Route.of("/v1/subscriptions/sub_1/health"))
                .get()
                .extracting(Route::service)
                .isEqualTo(Service.SUBSCRIPTIONS);
        assertThat(Route.of("/v1/subscriptions/sub_1/pause"))
                .get()
                .extracting(Route::service)
                .isEqualTo(Service.SUBSCRIPTIONS);
        assertThat(Route.of("/v1/events")).get().extracting(Route::service).isEqualTo(Service.INGEST);
        assertThat(Route.of("/v1/event-types/order.created"))
                .get()
                .extracting(Route::service)
                .isEqualTo(Service.INGEST);
        assertThat(Route.of("/v1/dead-letters/0-12"))
                .get()
                .extracting(Route::service)
                .isEqualTo(Service.RETRY);
        assertThat(Route.of("/v1/replays")).get().extracting(Route::service).isEqualTo(Service.RETRY);
    }

    @Test
    void sendsTheHistoryPathsToTheHistoryEvenUnderSubscriptionsAndEvents() {
        assertThat(Route.of("/v1/subscriptions/sub_1/deliveries"))
                .get()
                .extracting(Route::service)
                .isEqualTo(Service.HISTORY);
        assertThat(Route.of("/v1/subscriptions/sub_1/stats"))
                .get()
                .extracting(Route::service)
                .isEqualTo(Service.HISTORY);
        assertThat(Route.of("/v1/events/evt_1/deliveries"))
                .get()
                .extracting(Route::service)
                .isEqualTo(Service.HISTORY);
        assertThat(Route.of("/v1/deliveries/dlv_1"))
                .get()
                .extracting(Route::service)
                .isEqualTo(Service.HISTORY);
        assertThat(Route.of("/v1/deliveries/dlv_1/redeliver"))
                .get()
                .extracting(Route::service)
                .isEqualTo(Service.HISTORY);
    }

    @Test
    void reachesTheInspectorsBinsWithoutTheConsolesPrefix() {
        assertThat(Route.of("/inspector/bins/demo/requests"))
                .contains(new Route(Service.INSPECTOR, "/bins/demo/requests"));
        assertThat(Route.of("/inspector/requests")).isEmpty();
    }

    @Test
    void routesNoUnknownOrAmbiguousPath() {
        assertThat(Route.of("/v1/tenants")).isEmpty();
        assertThat(Route.of("/v1/subscriptions/../dead-letters")).isEmpty();
        assertThat(Route.of("/v1/subscriptions/%2e%2e/replays")).isEmpty();
        assertThat(Route.of("/v1/subscriptions/a%2Fb")).isEmpty();
        assertThat(Route.of("/inspector/bins/../requests")).isEmpty();
    }
}
