package io.campanello.subscription.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.campanello.api.ApiException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class SubscriptionRulesTest {

    private final SubscriptionRules rules = new SubscriptionRules(new SubscriptionsProperties(
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            Duration.ofHours(24),
            Duration.ofDays(7),
            1000,
            Duration.ofSeconds(5)));

    @Test
    void acceptsHeaderValuesNettySendsAsTheyAre() {
        assertThat(rules.headers(java.util.Map.of(
                        "X-Team",
                        "logistics",
                        "X-Empty",
                        "",
                        "X-List",
                        "a, b;\tq=0.5",
                        "Authorization",
                        "Bearer t0k=n")))
                .containsEntry("x-team", "logistics")
                .containsEntry("x-empty", "")
                .containsEntry("x-list", "a, b;\tq=0.5")
                .containsEntry("authorization", "Bearer t0k=n");
    }

    @Test
    void refusesHeaderValuesNettyWouldRefuseOrGarbleNamingTheHeader() {
        for (String value : java.util.List.of(
                "a\r\nX-Injected: 1",
                "a\nb",
                "nul\u0000",
                "bell\u0007",
                "del\u007f",
                " leading",
                "\tleading",
                "trailing ",
                "caf\u00e9",
                "\u2028",
                "emoji\ud83d\udd14")) {
            assertThatThrownBy(() -> rules.headers(java.util.Map.of("X-Team", value)))
                    .as(value)
                    .isInstanceOfSatisfying(ApiException.class, refused -> {
                        assertThat(refused.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                        assertThat(refused.code()).isEqualTo("invalid_subscription");
                    })
                    .hasMessageStartingWith("header 'X-Team' needs a value");
        }
        for (String name : java.util.List.of("X Team", "X-Team\r\nX-Injected", "X:Team", "caf\u00e9", "")) {
            assertThatThrownBy(() -> rules.headers(java.util.Map.of(name, "v")))
                    .as(name)
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("is not a valid HTTP header name");
        }
    }

    @Test
    void acceptsAConcurrencyLimitFromOneToAThousand() {
        assertThat(rules.maxConcurrency(1)).isEqualTo(1);
        assertThat(rules.maxConcurrency(1000)).isEqualTo(1000);
        assertThat(rules.maxConcurrency(null))
                .as("none: the dispatcher's default")
                .isNull();
    }

    @Test
    void refusesAConcurrencyLimitOutsideItsRange() {
        for (int refused : new int[] {0, -1, 1001}) {
            assertRefused(() -> rules.maxConcurrency(refused), "'maxConcurrency' must be between 1 and 1000");
        }
    }

    @Test
    void acceptsARateLimitFromOneToTenThousandPerSecond() {
        assertThat(rules.rateLimit(1)).isEqualTo(1);
        assertThat(rules.rateLimit(10_000)).isEqualTo(10_000);
        assertThat(rules.rateLimit(null)).as("none: no limit").isNull();
    }

    @Test
    void refusesARateLimitOutsideItsRange() {
        for (int refused : new int[] {0, -5, 10_001}) {
            assertRefused(() -> rules.rateLimit(refused), "'rateLimit' must be between 1 and 10000");
        }
    }

    private static void assertRefused(Runnable call, String detail) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(ApiException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(refused.code()).isEqualTo("invalid_subscription");
                })
                .hasMessage(detail);
    }
}
