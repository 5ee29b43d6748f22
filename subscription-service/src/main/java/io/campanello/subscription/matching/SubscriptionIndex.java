package io.campanello.subscription.matching;

import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Subscriptions indexed by tenant and event type, so matching an event costs a few map look-ups however many
 * subscriptions there are: one for the exact type and one per prefix of the type ({@code order.*}, {@code *}).
 */
@Component
class SubscriptionIndex {

    private static final String WILDCARD = "*";

    private final Map<String, Set<Subscription>> byTenantAndPattern = new ConcurrentHashMap<>();

    SubscriptionIndex(TopicTable<Subscription> table) {
        table.addListener(this::changed);
    }

    private void changed(String id, Subscription previous, Subscription current) {
        if (previous != null) {
            for (String pattern : previous.getEventTypes()) {
                byTenantAndPattern.computeIfPresent(key(previous.getTenant(), pattern), (key, set) -> {
                    set.remove(previous);
                    return set.isEmpty() ? null : set;
                });
            }
        }
        if (current != null) {
            for (String pattern : current.getEventTypes()) {
                byTenantAndPattern
                        .computeIfAbsent(key(current.getTenant(), pattern), key -> ConcurrentHashMap.newKeySet())
                        .add(current);
            }
        }
    }

    /** Every subscription of the tenant whose types include this event type, each once. */
    List<Subscription> matching(String tenant, String eventType) {
        List<Subscription> found = new ArrayList<>(lookUp(tenant, eventType));
        // order.created.eu matches order.created.*, order.*, and *
        int dot = eventType.lastIndexOf('.');
        while (dot > 0) {
            found.addAll(lookUp(tenant, eventType.substring(0, dot + 1) + WILDCARD));
            dot = eventType.lastIndexOf('.', dot - 1);
        }
        found.addAll(lookUp(tenant, WILDCARD));
        return found.stream().distinct().toList();
    }

    private Set<Subscription> lookUp(String tenant, String pattern) {
        return byTenantAndPattern.getOrDefault(key(tenant, pattern), Set.of());
    }

    private static String key(String tenant, String pattern) {
        return tenant + '\u0000' + pattern;
    }
}
