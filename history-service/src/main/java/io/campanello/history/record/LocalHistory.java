package io.campanello.history.record;

import io.campanello.schemas.v1.DeliveryHistory;
import io.campanello.schemas.v1.DeliveryStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The partitions of the history this instance holds: point reads by delivery id, prefix scans of the index. A
 * {@code tenant} of null means every tenant (an admin key); otherwise a delivery of another tenant is not there.
 */
public final class LocalHistory {

    private final ReadOnlyKeyValueStore<String, SpecificRecord> records;
    private final ReadOnlyKeyValueStore<String, String> index;
    private final int maxScan;

    LocalHistory(
            ReadOnlyKeyValueStore<String, SpecificRecord> records,
            ReadOnlyKeyValueStore<String, String> index,
            int maxScan) {
        this.records = records;
        this.index = index;
        this.maxScan = maxScan;
    }

    /** A page of a subscription's log, newest first; {@code after} is where the previous page ended. */
    public record Page(List<DeliveryHistory> items, String after, boolean otherTenant) {}

    /** What to list of a subscription's log. Null members do not filter. */
    public record Filter(String tenant, DeliveryStatus status, String type, Instant since, Instant until) {

        boolean matches(DeliveryHistory history) {
            return (status == null || status == history.getStatus())
                    && (type == null || type.equals(history.getEventType()));
        }
    }

    public Optional<DeliveryHistory> delivery(String tenant, String deliveryId) {
        return Optional.ofNullable((DeliveryHistory) records.get(deliveryId)).filter(visibleTo(tenant));
    }

    public List<DeliveryHistory> ofEvent(String tenant, String eventId) {
        List<DeliveryHistory> found = new ArrayList<>();
        String prefix = HistoryKeys.eventPrefix(eventId);
        try (KeyValueIterator<String, String> range = index.range(prefix, prefix + HistoryKeys.END)) {
            for (int seen = 0; range.hasNext() && seen < maxScan; seen++) {
                delivery(tenant, HistoryKeys.deliveryOf(range.next().key)).ifPresent(found::add);
            }
        }
        return found;
    }

    /**
     * Up to {@code limit} deliveries of a subscription that match, newest first, looking at {@code maxScan} at most:
     * a page may be short and still have a next one. {@code otherTenant}: the subscription's deliveries belong to
     * another tenant, which the caller is not told more about.
     */
    public Page ofSubscription(String subscriptionId, Filter filter, String after, int limit) {
        String prefix = HistoryKeys.subscriptionPrefix(subscriptionId);
        String from =
                prefix + (after != null ? after : filter.until() != null ? HistoryKeys.countdown(filter.until()) : "");
        String to =
                prefix + (filter.since() != null ? HistoryKeys.countdown(filter.since()) + "/" : "") + HistoryKeys.END;
        List<DeliveryHistory> items = new ArrayList<>();
        String last = null;
        boolean more = false;
        try (KeyValueIterator<String, String> range = index.range(from, to)) {
            int seen = 0;
            while (range.hasNext()) {
                KeyValue<String, String> entry = range.next();
                String position = entry.key.substring(prefix.length());
                if (position.equals(after)) {
                    continue;
                }
                if (items.size() == limit || seen == maxScan) {
                    more = true;
                    break;
                }
                seen++;
                last = position;
                DeliveryHistory history = (DeliveryHistory) records.get(HistoryKeys.deliveryOf(entry.key));
                if (history == null) {
                    continue;
                }
                if (!visibleTo(filter.tenant()).test(history)) {
                    return new Page(List.of(), null, true);
                }
                if (filter.matches(history)) {
                    items.add(history);
                }
            }
        }
        return new Page(items, more ? last : null, false);
    }

    /**
     * The deliveries of a subscription created in {@code [since, until]}, newest first, {@code maxScan} at most (the
     * caller says so when the scan was cut).
     */
    public List<DeliveryHistory> window(String subscriptionId, String tenant, Instant since, Instant until) {
        Page page = ofSubscription(subscriptionId, new Filter(tenant, null, null, since, until), null, maxScan);
        if (page.otherTenant()) {
            throw new OtherTenantException();
        }
        return page.items();
    }

    public int maxScan() {
        return maxScan;
    }

    private static Predicate<DeliveryHistory> visibleTo(String tenant) {
        return history -> tenant == null || tenant.equals(history.getTenant());
    }

    /** The subscription's deliveries belong to another tenant. */
    public static final class OtherTenantException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OtherTenantException() {
            super("the subscription belongs to another tenant");
        }
    }
}
