package io.campanello.subscription.matching;

import io.campanello.kafka.TopicTable;
import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.EventEnvelope;
import io.campanello.schemas.v1.MatchMode;
import io.campanello.schemas.v1.Subscription;
import io.campanello.schemas.v1.SubscriptionStatus;
import io.campanello.subscription.filter.EventFilter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tools.jackson.databind.json.JsonMapper;

/**
 * Matching throughput against 100, 10,000 and 100,000 active subscriptions, and the heap they take. Not a test:
 * run with {@code bash bench/matching.sh}. Each subscription listens to one of N/10 event types (so an event matches
 * about ten subscriptions whatever N is) and half of them have a CEL filter on the event's data, one of 50
 * expressions.
 */
public final class MatchingBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration MEASURE = Duration.ofSeconds(5);
    /** The same variety of filter expressions at every size, so that the figures compare the index, not CEL. */
    private static final int DISTINCT_FILTERS = 50;

    public static void main(String[] args) {
        System.out.printf("%-15s %15s %18s %15s%n", "subscriptions", "events/s", "matches per event", "heap (MiB)");
        for (int n : new int[] {100, 10_000, 100_000}) {
            run(n);
        }
    }

    private static void run(int n) {
        long before = usedHeap();
        TopicTable<Subscription> table =
                new TopicTable<>("webhooks.subscriptions", Subscription.class, Map.of(), Duration.ofSeconds(1));
        SubscriptionIndex index = new SubscriptionIndex(table);
        int types = Math.max(1, n / 10);
        for (int i = 0; i < n; i++) {
            Subscription subscription = Subscription.newBuilder()
                    .setId(Ids.newSubscriptionId())
                    .setTenant("bench")
                    .setUrl("https://example.com/hooks/" + i)
                    .setEventTypes(List.of("bench.type" + (i % types) + ".created"))
                    .setFilter(i % 2 == 0 ? "data.amount > " + (100 + i % DISTINCT_FILTERS) : null)
                    .setMode(MatchMode.EVERY_TIME)
                    .setStatus(SubscriptionStatus.ACTIVE)
                    .setSecrets(List.of())
                    .setCreatedAt(Instant.EPOCH)
                    .build();
            table.applyOwnWrite(subscription.getId(), subscription);
        }
        long heap = usedHeap() - before;

        SplittableRandom random = new SplittableRandom(42);
        EventEnvelope[] events = new EventEnvelope[1024];
        for (int i = 0; i < events.length; i++) {
            events[i] = EventEnvelope.newBuilder()
                    .setId(Ids.newEventId())
                    .setTenant("bench")
                    .setType("bench.type" + random.nextInt(types) + ".created")
                    .setSubject("s-" + i)
                    .setTime(Instant.EPOCH)
                    .setReceivedAt(Instant.EPOCH)
                    .setData("{\"amount\": " + random.nextInt(200) + "}")
                    .build();
        }
        measure(index, events, Duration.ofSeconds(2)); // warm-up
        long[] result = measure(index, events, MEASURE);
        System.out.printf(
                "%-15d %15.0f %18.1f %15.1f%n",
                n, result[0] / (double) MEASURE.toSeconds(), result[1] / (double) result[0], heap / 1048576.0);
        if (index.size() != n) {
            throw new IllegalStateException("index holds " + index.size() + " subscriptions, expected " + n);
        }
    }

    /** Events matched (candidates looked up, filters evaluated) in the time given; returns {events, matches}. */
    private static long[] measure(SubscriptionIndex index, EventEnvelope[] events, Duration time) {
        long end = System.nanoTime() + time.toNanos();
        long count = 0;
        long matches = 0;
        while (System.nanoTime() < end) {
            EventEnvelope event = events[(int) (count++ & 1023)];
            Map<String, Object> variables = null;
            for (SubscriptionIndex.Candidate candidate : index.matching(event.getTenant(), event.getType())) {
                if (candidate.filter() == null) {
                    matches++;
                    continue;
                }
                if (variables == null) {
                    variables = variables(event);
                }
                if (passes(candidate.filter(), variables)) {
                    matches++;
                }
            }
        }
        return new long[] {count, matches};
    }

    private static Map<String, Object> variables(EventEnvelope event) {
        try {
            return EventFilter.variables(event, JSON);
        } catch (EventFilter.FilterEvaluationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean passes(EventFilter filter, Map<String, Object> variables) {
        try {
            return filter.matches(variables);
        } catch (EventFilter.FilterEvaluationException e) {
            return false;
        }
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
