package io.campanello.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPathTest {

    @ParameterizedTest
    @CsvSource({
        "/, /",
        "/v1/subscriptions, /v1/subscriptions",
        "/v1/subscriptions/, /v1/subscriptions/",
        "/v1/subscriptions/sub_1, /v1/subscriptions/sub_1",
        "/%761/subscriptions, /v1/subscriptions",
        "/v1/event-types/order.created, /v1/event-types/order.created",
        "/v1/dead-letters/a%20b, /v1/dead-letters/a b"
    })
    void decodesANormalPath(String raw, String decoded) {
        assertThat(RequestPath.normalised(raw)).contains(decoded);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "v1/subscriptions",
                "//v1/subscriptions",
                "/v1//subscriptions",
                "/v1/./subscriptions",
                "/v1/../actuator",
                "/v1/%2e%2e/",
                "/v1/%2E/subscriptions",
                "/v1/subscriptions/..;/",
                "/v1/subscriptions;x=1",
                "/v1/subscriptions/a%2Fb",
                "/v1/subscriptions/a%5cb",
                "/v1\\subscriptions",
                "/v1/subscriptions/%zz",
                "/v1/subscriptions/%2",
                "/v1/subscriptions/a%00b",
                "/v1/subscriptions/a%0d%0ab",
                "/v1/subscriptions/%c3%28"
            })
    void refusesAPathThatIsNotNormal(String raw) {
        assertThat(RequestPath.normalised(raw)).isEmpty();
    }
}
