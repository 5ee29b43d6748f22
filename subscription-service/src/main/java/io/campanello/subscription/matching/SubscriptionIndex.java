package io.campanello.subscription.matching;

import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.Subscription;
import io.campanello.schemas.v1.SubscriptionStatus;
import io.campanello.subscription.filter.EventFilter;
import io.campanello.subscription.filter.InvalidFilterException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
        private final String id;
        private final boolean singlePattern;

        Candidate(Subscription subscription, EventFilter filter) {
            this.subscription = subscription;
            this.filter = filter;
            // Read per event on the hot path: kept here, so matching does not chase into the record.
            this.id = subscription.getId();
            this.singlePattern = subscription.getEventTypes().size() == 1;
        }

        Subscription subscription() {
            return subscription;
        }

        EventFilter filter() {
            return filter;
        }

        String id() {
            return id;
        }
    }

    private static final Candidate[] NONE = new Candidate[0];
    /** Bounds the cache of patterns per event type; types beyond it are computed per event. */
    private static final int MAX_CACHED_TYPES = 100_000;

    /** Per tenant, per pattern: the candidates as a small array, copied on change, so that matching reads compact memory. */
    private final Map<String, Map<String, Candidate[]>> byTenantAndPattern = new ConcurrentHashMap<>();
    /** Subscriptions with the same expression share one compiled program. */
    private final Map<String, EventFilter> compiledFilters = new ConcurrentHashMap<>();

    private final Map<String, Candidate> byId = new ConcurrentHashMap<>();
    private final Map<String, String[]> patternsByType = new ConcurrentHashMap<>();
    private final Map<String, Matched> matched = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();

    SubscriptionIndex(TopicTable<Subscription> table) {
        table.addListener(this::changed);
    }

    private void changed(String id, Subscription previous, Subscription current) {
        version.incrementAndGet();
        try {
            index(id, current);
        } finally {
            version.incrementAndGet();
        }
    }

    private void index(String id, Subscription current) {
        Candidate old = byId.remove(id);
        if (old != null) {
            Map<String, Candidate[]> patterns =
                    byTenantAndPattern.get(old.subscription().getTenant());
            for (String pattern : old.subscription().getEventTypes()) {
                patterns.computeIfPresent(pattern, (key, candidates) -> without(candidates, old));
            }
        }
        if (current == null || current.getStatus() == SubscriptionStatus.DRAFT) {
            return;
        }
        Candidate candidate = new Candidate(current, compile(current));
        byId.put(id, candidate);
        Map<String, Candidate[]> patterns =
                byTenantAndPattern.computeIfAbsent(current.getTenant(), tenant -> new ConcurrentHashMap<>());
        for (String pattern : current.getEventTypes()) {
            patterns.merge(pattern, new Candidate[] {candidate}, SubscriptionIndex::with);
        }
    }

    private EventFilter compile(Subscription subscription) {
        if (subscription.getFilter() == null) {
            return null;
        }
        EventFilter known = compiledFilters.get(subscription.getFilter());
        if (known != null) {
            return known;
        }
        try {
            EventFilter filter = EventFilter.compile(subscription.getFilter());
            compiledFilters.put(subscription.getFilter(), filter);
            return filter;
        } catch (InvalidFilterException e) {
            // Checked at creation; a record written otherwise matches nothing rather than everything.
            log.warn("filter does not compile subscription_id={} error={}", subscription.getId(), e.getMessage());
            return EventFilter.NEVER;
        }
    }

    /** Every candidate of the tenant whose types include this event type, each once. */
    List<Candidate> matching(String tenant, String eventType) {
        // The answer per tenant and type is remembered until the index changes: one look-up per event.
        long current = version.get();
        Matched known = matched.get(tenant + '\u0000' + eventType);
        if (known != null && known.version == current) {
            return Arrays.asList(known.candidates);
        }
        List<Candidate> found = lookUp(tenant, eventType);
        if (matched.size() < MAX_CACHED_TYPES) {
            matched.put(tenant + '\u0000' + eventType, new Matched(current, found.toArray(Candidate[]::new)));
        }
        return found;
    }

    /** The candidates of a type at one version of the index. */
    private record Matched(long version, Candidate[] candidates) {}

    private List<Candidate> lookUp(String tenant, String eventType) {
        Map<String, Candidate[]> patterns = byTenantAndPattern.get(tenant);
        if (patterns == null) {
            return List.of();
        }
        List<Candidate> found = new ArrayList<>();
        for (String pattern : patternsOf(eventType)) {
            add(found, patterns.getOrDefault(pattern, NONE));
        }
        return found;
    }

    /** The patterns an event type matches, exact first: order.created.eu, order.created.*, order.*, * (cached). */
    private String[] patternsOf(String eventType) {
        String[] known = patternsByType.get(eventType);
        if (known != null) {
            return known;
        }
        List<String> patterns = new ArrayList<>();
        patterns.add(eventType);
        int dot = eventType.lastIndexOf('.');
        while (dot > 0) {
            patterns.add(eventType.substring(0, dot + 1) + WILDCARD);
            dot = eventType.lastIndexOf('.', dot - 1);
        }
        patterns.add(WILDCARD);
        String[] computed = patterns.toArray(String[]::new);
        if (patternsByType.size() < MAX_CACHED_TYPES) {
            patternsByType.put(eventType, computed);
        }
        return computed;
    }

    /** Adds candidates not yet found: a subscription whose several patterns match is delivered to once. */
    private static void add(List<Candidate> found, Candidate[] candidates) {
        for (Candidate candidate : candidates) {
            if (candidate.singlePattern || !found.contains(candidate)) {
                found.add(candidate);
            }
        }
    }

    private static Candidate[] with(Candidate[] candidates, Candidate[] added) {
        Candidate[] grown = Arrays.copyOf(candidates, candidates.length + added.length);
        System.arraycopy(added, 0, grown, candidates.length, added.length);
        return grown;
    }

    private static Candidate[] without(Candidate[] candidates, Candidate removed) {
        Candidate[] kept = Arrays.stream(candidates).filter(c -> c != removed).toArray(Candidate[]::new);
        return kept.length == 0 ? null : kept;
    }

    int size() {
        return byId.size();
    }
}
