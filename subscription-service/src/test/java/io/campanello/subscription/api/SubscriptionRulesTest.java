package io.campanello.subscription.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.campanello.api.ApiException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class SubscriptionRulesTest {

    private final SubscriptionRules rules = new SubscriptionRules(
            new SubscriptionsProperties(
                    Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofHours(24), Duration.ofDays(7)),
            url -> Optional.empty());

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
