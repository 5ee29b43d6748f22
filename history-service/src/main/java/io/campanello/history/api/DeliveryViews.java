package io.campanello.history.api;

import io.campanello.schemas.v1.DeliveryAttempt;
import io.campanello.schemas.v1.DeliveryHistory;
import io.campanello.schemas.v1.EventEnvelope;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The JSON shapes of the history API. */
final class DeliveryViews {

    private DeliveryViews() {}

    /** One delivery in a list: where it stands, without its attempts and payload. */
    record DeliverySummary(
            String id,
            String subscriptionId,
            String tenant,
            String eventId,
            String eventType,
            String status,
            Instant createdAt,
            int attempts,
            Integer lastStatus,
            String lastError,
            Instant lastAttemptAt,
            Instant nextAttemptAt,
            String deadReason,
            boolean test) {}

    /** One delivery with every attempt and the event it carried. */
    record DeliveryDetail(DeliverySummary delivery, List<AttemptView> attempts, Payload payload) {}

    /** One HTTP call: what the endpoint answered (selected headers, the first 4 KiB of the body) or why none came. */
    record AttemptView(
            int attempt,
            String url,
            Instant startedAt,
            long durationMillis,
            String outcome,
            Integer status,
            String error,
            String errorDetail,
            Map<String, String> responseHeaders,
            String responseBody) {}

    /**
     * The event as the dispatcher was given it; the body was this event in the subscription's payload format
     * (CloudEvents JSON, thin or XML).
     */
    record Payload(
            String id,
            String type,
            String source,
            String subject,
            Instant time,
            String datacontenttype,
            JsonNode data,
            Map<String, String> attributes) {}

    /** A page, newest first; {@code nextCursor} is null on the last one. */
    record DeliveryPage(List<DeliverySummary> items, String nextCursor) {}

    /** The answer to a redelivery: the task is on its way to the dispatcher with the same webhook-id. */
    record Redelivery(String deliveryId, String subscriptionId, String status) {}

    static DeliverySummary summary(DeliveryHistory history) {
        List<DeliveryAttempt> attempts = history.getAttempts();
        DeliveryAttempt last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        return new DeliverySummary(
                history.getDeliveryId(),
                history.getSubscriptionId(),
                history.getTenant(),
                history.getEventId(),
                history.getEventType(),
                history.getStatus().name().toLowerCase(Locale.ROOT),
                history.getCreatedAt(),
                attempts.size(),
                last == null ? null : last.getStatus(),
                last == null ? null : last.getError(),
                last == null ? null : last.getStartedAt(),
                history.getNextAttemptAt(),
                history.getDeadReason(),
                history.getTest());
    }

    static DeliveryDetail detail(DeliveryHistory history, ObjectMapper json) {
        List<AttemptView> attempts = history.getAttempts().stream()
                .map(attempt -> new AttemptView(
                        attempt.getAttempt(),
                        attempt.getUrl(),
                        attempt.getStartedAt(),
                        attempt.getDurationMillis(),
                        attempt.getOutcome().name().toLowerCase(Locale.ROOT),
                        attempt.getStatus(),
                        attempt.getError(),
                        attempt.getErrorDetail(),
                        attempt.getResponseHeaders(),
                        attempt.getResponseBody()))
                .toList();
        EventEnvelope event = history.getEvent();
        Payload payload = event == null
                ? null
                : new Payload(
                        event.getId(),
                        event.getType(),
                        event.getSource(),
                        event.getSubject(),
                        event.getTime(),
                        event.getDataContentType(),
                        data(event.getData(), json),
                        event.getAttributes());
        return new DeliveryDetail(summary(history), attempts, payload);
    }

    private static JsonNode data(String data, ObjectMapper json) {
        if (data == null) {
            return null;
        }
        try {
            return json.readTree(data);
        } catch (JacksonException e) {
            return json.getNodeFactory().stringNode(data);
        }
    }
}
