package io.campanello.subscription.api;

import io.campanello.api.ApiException;
import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.TopicTable;
import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.Subscription;
import io.campanello.signature.Webhook;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Creates, reads and deletes subscriptions. Writes go to the compacted topic first; a call answers once Kafka
 * acknowledged, and reads come from the table that follows the topic.
 */
@Component
class Subscriptions {

    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*(\\.\\*)?|\\*");
    private static final int MAX_URL_LENGTH = 2048;

    private final TopicTable<Subscription> table;
    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;
    private final Clock clock;

    Subscriptions(
            TopicTable<Subscription> table,
            KafkaTemplate<String, SpecificRecord> kafka,
            CampanelloKafkaProperties properties,
            Clock clock) {
        this.table = table;
        this.kafka = kafka;
        this.topic = properties.topics().subscriptions();
        this.clock = clock;
    }

    CompletableFuture<Subscription> create(String tenant, SubscriptionRequest request) {
        Subscription subscription = Subscription.newBuilder()
                .setId(Ids.newSubscriptionId())
                .setTenant(tenant)
                .setUrl(validUrl(request.url()))
                .setEventTypes(validEventTypes(request.eventTypes()))
                .setSecret(Webhook.generateSecret())
                .setCreatedAt(clock.instant())
                .build();
        return kafka.send(topic, subscription.getId(), subscription).thenApply(result -> {
            table.applyOwnWrite(subscription.getId(), subscription);
            return subscription;
        });
    }

    List<Subscription> list(String tenant) {
        return table.values().stream()
                .filter(subscription -> subscription.getTenant().equals(tenant))
                .sorted(Comparator.comparing(Subscription::getCreatedAt).thenComparing(Subscription::getId))
                .toList();
    }

    /** The tenant's subscription; another tenant's answers exactly like a missing one. */
    Subscription get(String tenant, String id) {
        return table.get(id)
                .filter(subscription -> subscription.getTenant().equals(tenant))
                .orElseThrow(() -> ApiException.notFound("subscription_not_found", "no subscription " + id));
    }

    CompletableFuture<Void> delete(String tenant, String id) {
        get(tenant, id);
        return kafka.send(topic, id, null).thenAccept(result -> table.applyOwnWrite(id, null));
    }

    private static String validUrl(String url) {
        if (url == null || url.isBlank()) {
            throw ApiException.badRequest("invalid_subscription", "'url' is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw ApiException.badRequest("invalid_subscription", "'url' is longer than " + MAX_URL_LENGTH);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("invalid_subscription", "'url' is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.badRequest("invalid_subscription", "'url' must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw ApiException.badRequest("invalid_subscription", "'url' has no host");
        }
        return url;
    }

    private static List<String> validEventTypes(List<String> eventTypes) {
        if (eventTypes == null || eventTypes.isEmpty()) {
            throw ApiException.badRequest(
                    "invalid_subscription",
                    "'eventTypes' needs at least one type, e.g. [\"order.created\", \"order.*\"]");
        }
        for (String type : eventTypes) {
            if (type == null || !EVENT_TYPE.matcher(type).matches()) {
                throw ApiException.badRequest(
                        "invalid_subscription",
                        "'eventTypes' holds exact types (order.created) or end in a wildcard (order.*)");
            }
        }
        return eventTypes.stream().distinct().toList();
    }
}
