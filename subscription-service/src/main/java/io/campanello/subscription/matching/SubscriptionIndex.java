package io.campanello.subscription.matching;

import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.Subscription;
import io.campanello.schemas.v1.SubscriptionStatus;
import io.campanello.subscription.filter.EventFilter;
import io.campanello.subscription.filter.InvalidFilterException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The subscriptions that take part in matching (every status but DRAFT), indexed by tenant and event type with
 * their compiled filters, so matching an event costs a few map look-ups however many subscriptions there are:
 * one for the exact type and one per prefix of the type ({@code order.created.*}, {@code order.*}, {@code *}).
 */
@Component
class SubscriptionIndex {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionIndex.class);
    private static final String WILDCARD = "*";

    /**
     * A subscription with its compiled filter; a null filter matches every event of the types. Equal only to
     * itself: the index removes exactly the instance it added (and Avro's record equality is not safe here).
     */
    static final class Candidate {

        private final Subscription subscription;
        private final EventFilter filter;

        Candidate(Subscription subscription, EventFilter filter) {
            this.subscription = subscription;
            this.filter = filter;
        }

        Subscription subscription() {
            return subscription;
        }

        EventFilter filter() {
            return filter;
        }

        String id() {
            return subscription.getId();
        }
    }

    private final Map<String, Set<Candidate>> byTenantAndPattern = new ConcurrentHashMap<>();
    private final Map<String, Candidate> byId = new ConcurrentHashMap<>();

    SubscriptionIndex(TopicTable<Subscription> table) {
        table.addListener(this::changed);
    }

    private void changed(String id, Subscription previous, Subscription current) {
        Candidate old = byId.remove(id);
        if (old != null) {
            for (String pattern : old.subscription().getEventTypes()) {
                byTenantAndPattern.computeIfPresent(key(old.subscription().getTenant(), pattern), (key, set) -> {
                    set.remove(old);
                    return set.isEmpty() ? null : set;
                });
            }
        }
        if (current == null || current.getStatus() == SubscriptionStatus.DRAFT) {
            return;
        }
        Candidate candidate = new Candidate(current, compile(current));
        byId.put(id, candidate);
        for (String pattern : current.getEventTypes()) {
            byTenantAndPattern
                    .computeIfAbsent(key(current.getTenant(), pattern), key -> ConcurrentHashMap.newKeySet())
                    .add(candidate);
        }
    }

    private static EventFilter compile(Subscription subscription) {
        if (subscription.getFilter() == null) {
            return null;
        }
        try {
            return EventFilter.compile(subscription.getFilter());
        } catch (InvalidFilterException e) {
            // Checked at creation; a record written otherwise matches nothing rather than everything.
            log.warn("filter does not compile subscription_id={} error={}", subscription.getId(), e.getMessage());
            return EventFilter.NEVER;
        }
    }

    /** Every candidate of the tenant whose types include this event type, each once. */
    List<Candidate> matching(String tenant, String eventType) {
        List<Candidate> found = new ArrayList<>(lookUp(tenant, eventType));
        // order.created.eu matches order.created.*, order.*, and *
        int dot = eventType.lastIndexOf('.');
        while (dot > 0) {
            found.addAll(lookUp(tenant, eventType.substring(0, dot + 1) + WILDCARD));
            dot = eventType.lastIndexOf('.', dot - 1);
        }
        found.addAll(lookUp(tenant, WILDCARD));
        return found.stream().distinct().toList();
    }

    int size() {
        return byId.size();
    }

    private Set<Candidate> lookUp(String tenant, String pattern) {
        return byTenantAndPattern.getOrDefault(key(tenant, pattern), Set.of());
    }

    private static String key(String tenant, String pattern) {
        return tenant + '\u0000' + pattern;
    }
}
