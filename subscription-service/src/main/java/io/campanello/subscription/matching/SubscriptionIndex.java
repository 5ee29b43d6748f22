package io.campanello.subscription.matching;

import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.MatchMode;
import io.campanello.schemas.v1.Subscription;
import io.campanello.schemas.v1.SubscriptionStatus;
import io.campanello.subscription.filter.EventFilter;
import io.campanello.subscription.filter.InvalidFilterException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
    /** Bounds the caches per event type (patterns, answers); types beyond them are computed per event. */
    private static final int MAX_CACHED_TYPES = 100_000;

    /** Per tenant, per pattern: the candidates as a small array, copied on change, so that matching reads compact memory. */
    private final Map<String, Map<String, Candidate[]>> byTenantAndPattern = new ConcurrentHashMap<>();
    /** Subscriptions with the same expression share one compiled program. */
    private final Map<String, EventFilter> compiledFilters = new ConcurrentHashMap<>();

    private final Map<String, Candidate> byId = new ConcurrentHashMap<>();
    private final Map<String, String[]> patternsByType = new ConcurrentHashMap<>();
    /** Per tenant, per event type: what it matches, valid while the version has not changed. */
    private final Map<String, Remembered> matched = new ConcurrentHashMap<>();

    private final AtomicInteger cachedTypes = new AtomicInteger();
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

    /**
     * Every subscription of the tenant whose types include this event type, each once. The answer per tenant and
     * type is remembered until the index changes: matching an event costs a look-up of the tenant and one of the
     * type in an open-addressing table whose entry holds the answer, i.e. one block of memory read whatever the
     * number of subscriptions. (With 100,000 subscriptions that block is rarely in the CPU caches; a general map
     * would add a node and a separate key to wait for, one after the other.)
     */
    Matches matching(String tenant, String eventType) {
        long current = version.get();
        Remembered types = matched.get(tenant);
        int hash = Remembered.hash(eventType);
        Matches known = types == null ? null : types.get(eventType, hash);
        if (known != null && known.version == current) {
            return known;
        }
        Matches found = new Matches(current, eventType, hash, lookUp(tenant, eventType));
        if (known != null || cachedTypes.get() < MAX_CACHED_TYPES) {
            if (types == null) {
                types = matched.computeIfAbsent(tenant, key -> new Remembered());
            }
            if (types.put(found)) {
                cachedTypes.incrementAndGet();
            }
        }
        return found;
    }

    /**
     * The subscriptions an event type matches, at one version of the index, allocated as one block: the type (a
     * copy, characters too) and flat arrays of the filters and modes, so that finding the answer and evaluating the
     * filters read adjacent memory and never visit a subscription; the processor reads the rest when it delivers.
     */
    static final class Matches {

        private final long version;
        private final int hash;
        private final String type;
        private final EventFilter[] filters;
        private final MatchMode[] modes;
        private final long[] activeSince;
        private final Candidate[] candidates;

        private Matches(long version, String type, int hash, List<Candidate> found) {
            this.version = version;
            this.hash = hash;
            this.type = new String(type.toCharArray());
            int size = found.size();
            this.filters = new EventFilter[size];
            this.modes = new MatchMode[size];
            this.activeSince = new long[size];
            this.candidates = found.toArray(new Candidate[size]);
            for (int i = 0; i < size; i++) {
                filters[i] = candidates[i].filter;
                modes[i] = candidates[i].subscription.getMode();
                Instant activatedAt = candidates[i].subscription.getActivatedAt();
                activeSince[i] = activatedAt != null ? activatedAt.toEpochMilli() : Long.MIN_VALUE;
            }
        }

        int size() {
            return filters.length;
        }

        /** The compiled filter of the i-th subscription; null matches every event. */
        EventFilter filter(int i) {
            return filters[i];
        }

        MatchMode mode(int i) {
            return modes[i];
        }

        /**
         * Whether the i-th subscription takes events Campanello accepted at this time (epoch milliseconds): not those
         * accepted before it was activated, however late the matcher reads them.
         */
        boolean takes(int i, long receivedAtMillis) {
            return receivedAtMillis >= activeSince[i];
        }

        String id(int i) {
            return candidates[i].id;
        }

        Subscription subscription(int i) {
            return candidates[i].subscription;
        }
    }

    /**
     * One tenant's remembered answers by event type: open addressing with linear probing, at most half full. Read
     * without locking (entries are immutable; a reader that misses a new entry computes the answer again); written
     * under its monitor, growing into a new table published at once.
     */
    static final class Remembered {

        private volatile Matches[] slots = new Matches[16];
        private int size;

        static int hash(String type) {
            int h = type.hashCode();
            return h ^ (h >>> 16);
        }

        Matches get(String type, int hash) {
            Matches[] table = slots;
            int mask = table.length - 1;
            for (int i = hash & mask; ; i = (i + 1) & mask) {
                Matches entry = table[i];
                if (entry == null) {
                    return null;
                }
                if (entry.hash == hash && entry.type.equals(type)) {
                    return entry;
                }
            }
        }

        /** Adds or replaces the answer for its type; true if the type is new. */
        synchronized boolean put(Matches matches) {
            Matches[] table = slots;
            int mask = table.length - 1;
            int i = matches.hash & mask;
            for (Matches entry; (entry = table[i]) != null; i = (i + 1) & mask) {
                if (entry.hash == matches.hash && entry.type.equals(matches.type)) {
                    table[i] = matches;
                    return false;
                }
            }
            if (2 * (size + 1) > table.length) {
                Matches[] grown = new Matches[table.length * 2];
                for (Matches entry : table) {
                    if (entry != null) {
                        insert(grown, entry);
                    }
                }
                insert(grown, matches);
                slots = grown;
            } else {
                table[i] = matches;
            }
            size++;
            return true;
        }

        private static void insert(Matches[] table, Matches matches) {
            int mask = table.length - 1;
            int i = matches.hash & mask;
            while (table[i] != null) {
                i = (i + 1) & mask;
            }
            table[i] = matches;
        }
    }

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
