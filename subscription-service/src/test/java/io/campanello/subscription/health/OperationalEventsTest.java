package io.campanello.subscription.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.EndpointHealth;
import io.campanello.schemas.v1.EndpointState;
import io.campanello.schemas.v1.EventEnvelope;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OperationalEventsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-11-06T10:00:05Z");

    private final OperationalEvents events = new OperationalEvents(JSON, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void describesTheEndpointInTheEventOfItsTenant() {
        EndpointHealth gone = EndpointHealth.newBuilder(HealthReactionTest.health(EndpointState.DISABLED))
                .setLastStatus(410)
                .setLastError(null)
                .setConsecutiveFailures(1)
                .setReason("gone")
                .build();

        EventEnvelope event = events.about(gone, "acme", OperationalEvents.DISABLED);

        assertThat(event.getType()).isEqualTo("campanello.subscription.disabled");
        assertThat(event.getTenant()).isEqualTo("acme");
        assertThat(event.getSubject()).isEqualTo(gone.getSubscriptionId());
        assertThat(event.getTime()).isEqualTo(gone.getUpdatedAt());
        assertThat(event.getReceivedAt()).isEqualTo(NOW);
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        JsonNode data = JSON.readTree(event.getData());
        assertThat(data.get("subscriptionId").stringValue()).isEqualTo(gone.getSubscriptionId());
        assertThat(data.get("url").stringValue()).isEqualTo("https://hooks.example.com/in");
        assertThat(data.get("state").stringValue()).isEqualTo("DISABLED");
        assertThat(data.get("failingSince").stringValue()).isEqualTo("2026-11-01T10:00:00Z");
        assertThat(data.get("consecutiveFailures").intValue()).isEqualTo(1);
        assertThat(data.get("lastStatus").intValue()).isEqualTo(410);
        assertThat(data.get("lastError").isNull()).isTrue();
        assertThat(data.get("reason").stringValue()).isEqualTo("gone");
    }

    @Test
    void raisesTheSameEventIdWhenTheSameVerdictIsReadAgain() {
        EndpointHealth failing = HealthReactionTest.health(EndpointState.FAILING);
        EndpointHealth readAgain = EndpointHealth.newBuilder(failing)
                .setUpdatedAt(failing.getUpdatedAt().plusSeconds(30))
                .build();

        String id = events.about(failing, "acme", OperationalEvents.FAILING).getId();

        assertThat(Ids.isValid(Ids.EVENT, id)).as(id).isTrue();
        assertThat(events.about(readAgain, "acme", OperationalEvents.FAILING).getId())
                .isEqualTo(id);
    }

    @Test
    void raisesANewEventForANewRunOfFailuresOrAnotherState() {
        EndpointHealth failing = HealthReactionTest.health(EndpointState.FAILING);
        EndpointHealth failingAgainLater = EndpointHealth.newBuilder(failing)
                .setFailingSince(failing.getFailingSince().plusSeconds(86_400))
                .build();
        EndpointHealth disabled = EndpointHealth.newBuilder(failing)
                .setState(EndpointState.DISABLED)
                .build();

        assertThat(OperationalEvents.eventId(failing))
                .isNotEqualTo(OperationalEvents.eventId(failingAgainLater))
                .isNotEqualTo(OperationalEvents.eventId(disabled));
    }
}
