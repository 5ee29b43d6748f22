package io.campanello.subscription.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.campanello.schemas.v1.EndpointHealth;
import io.campanello.schemas.v1.EndpointState;
import io.campanello.schemas.v1.Subscription;
import io.campanello.schemas.v1.SubscriptionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthReactionTest {

    private static final Instant CREATED = Instant.parse("2026-11-01T10:00:00Z");
    private static final Instant JUDGED = Instant.parse("2026-11-06T10:00:00Z");

    @Test
    void tellsTheTenantWhenAnEndpointStartsFailing() {
        assertThat(HealthReaction.to(health(EndpointState.FAILING), subscription(SubscriptionStatus.ACTIVE, null)))
                .isEqualTo(HealthReaction.TELL_FAILING);
    }

    @Test
    void disablesASubscriptionWhoseEndpointIsDisabledWhateverItsStatus() {
        for (SubscriptionStatus status :
                List.of(SubscriptionStatus.ACTIVE, SubscriptionStatus.PAUSED, SubscriptionStatus.DRAFT)) {
            assertThat(HealthReaction.to(health(EndpointState.DISABLED), subscription(status, null)))
                    .as(status.name())
                    .isEqualTo(HealthReaction.DISABLE);
        }
    }

    @Test
    void tellsAgainWithoutChangingASubscriptionDisabledAlready() {
        Subscription disabled = subscription(SubscriptionStatus.DISABLED, JUDGED.plusSeconds(1));

        assertThat(HealthReaction.to(health(EndpointState.DISABLED), disabled)).isEqualTo(HealthReaction.TELL_DISABLED);
    }

    @Test
    void ignoresAVerdictOlderThanTheSubscriptionsLastChange() {
        Subscription resumed = subscription(SubscriptionStatus.ACTIVE, JUDGED.plus(Duration.ofHours(2)));

        assertThat(HealthReaction.to(health(EndpointState.DISABLED), resumed))
                .as("re-enabled by its owner after the verdict")
                .isEqualTo(HealthReaction.NONE);
        assertThat(HealthReaction.to(health(EndpointState.FAILING), resumed)).isEqualTo(HealthReaction.NONE);
    }

    @Test
    void actsOnAChangeMadeBeforeTheVerdict() {
        Subscription patched = subscription(SubscriptionStatus.ACTIVE, JUDGED.minusSeconds(60));

        assertThat(HealthReaction.to(health(EndpointState.DISABLED), patched)).isEqualTo(HealthReaction.DISABLE);
    }

    @Test
    void ignoresDeletedSubscriptionsAndHealthyOrDegradedEndpoints() {
        assertThat(HealthReaction.to(health(EndpointState.DISABLED), null)).isEqualTo(HealthReaction.NONE);
        assertThat(HealthReaction.to(health(EndpointState.HEALTHY), subscription(SubscriptionStatus.ACTIVE, null)))
                .isEqualTo(HealthReaction.NONE);
        assertThat(HealthReaction.to(health(EndpointState.DEGRADED), subscription(SubscriptionStatus.ACTIVE, null)))
                .isEqualTo(HealthReaction.NONE);
    }

    static EndpointHealth health(EndpointState state) {
        return EndpointHealth.newBuilder()
                .setSubscriptionId("sub_0123456789abcdef01234567")
                .setTenant("acme")
                .setUrl("https://hooks.example.com/in")
                .setState(state)
                .setFailingSince(JUDGED.minus(Duration.ofDays(5)))
                .setConsecutiveFailures(40)
                .setLastStatus(503)
                .setReason(state == EndpointState.DISABLED ? "failing_too_long" : null)
                .setUpdatedAt(JUDGED)
                .build();
    }

    private static Subscription subscription(SubscriptionStatus status, Instant updatedAt) {
        return Subscription.newBuilder()
                .setId("sub_0123456789abcdef01234567")
                .setTenant("acme")
                .setUrl("https://hooks.example.com/in")
                .setEventTypes(List.of("order.*"))
                .setStatus(status)
                .setSecrets(List.of())
                .setCreatedAt(CREATED)
                .setUpdatedAt(updatedAt)
                .build();
    }
}
