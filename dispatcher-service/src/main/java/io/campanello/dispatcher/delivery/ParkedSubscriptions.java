package io.campanello.dispatcher.delivery;

import io.campanello.kafka.CampanelloKafkaProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Which subscriptions still have deliveries on webhooks.parked, so that their new deliveries are parked behind them
 * and a resumed subscription gets everything in order. The answer comes from Kafka, not from this instance's memory:
 * the {@link ParkingMarks} the parking lot commits with its offsets (whichever instance owns the partition), read
 * every second; plus, until those marks show the parking lot has read them, the deliveries this instance parked.
 */
@Component
class ParkedSubscriptions implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ParkedSubscriptions.class);
    private static final Duration REFRESH = Duration.ofSeconds(1);
    private static final Duration FIRST_READ = Duration.ofSeconds(30);

    private final Map<String, Object> adminConfig;
    private final String topic;
    /** Deliveries parked here, per subscription: the partition and offset of the last one. */
    private final Map<String, Parked> recent = new ConcurrentHashMap<>();

    private volatile Map<Integer, ParkingMarks> marks = Map.of();
    private volatile int partitionCount;
    private volatile Admin admin;
    private volatile ScheduledExecutorService refresher;

    ParkedSubscriptions(KafkaProperties kafka, CampanelloKafkaProperties properties) {
        this.adminConfig = kafka.buildAdminProperties();
        this.topic = properties.topics().parked();
    }

    /** Whether the subscription may still have deliveries waiting on webhooks.parked. */
    boolean hasParked(String subscriptionId) {
        Parked mine = recent.get(subscriptionId);
        if (mine != null) {
            ParkingMarks read = marks.get(mine.partition());
            if (read == null || read.next() <= mine.offset()) {
                return true; // the parking lot has not read it yet
            }
            recent.remove(subscriptionId, mine);
        }
        int count = partitionCount;
        if (count == 0) {
            return false;
        }
        ParkingMarks read = marks.get(partitionOf(subscriptionId, count));
        return read != null && read.holds(subscriptionId);
    }

    /** This instance parked a delivery of the subscription at this partition and offset. */
    void parked(String subscriptionId, int partition, long offset) {
        recent.merge(
                subscriptionId,
                new Parked(partition, offset),
                (last, now) -> now.offset() > last.offset() || now.partition() != last.partition() ? now : last);
    }

    /** The partition a record keyed by the subscription id goes to (the producer's default partitioner). */
    static int partitionOf(String subscriptionId, int partitions) {
        return Utils.toPositive(Utils.murmur2(subscriptionId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private void refresh() {
        try {
            partitionCount = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(REFRESH.toMillis() * 5, TimeUnit.MILLISECONDS)
                    .get(topic)
                    .partitions()
                    .size();
            Map<Integer, ParkingMarks> read = new HashMap<>();
            admin.listConsumerGroupOffsets(ParkingLot.GROUP_ID)
                    .partitionsToOffsetAndMetadata()
                    .get(REFRESH.toMillis() * 5, TimeUnit.MILLISECONDS)
                    .forEach((partition, offset) -> {
                        if (partition.topic().equals(topic) && offset != null) {
                            ParkingMarks.decode(offset.metadata())
                                    .ifPresent(found -> read.put(partition.partition(), found));
                        }
                    });
            marks = Map.copyOf(read);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("could not read which subscriptions have parked deliveries; going on with the last known", e);
        }
    }

    /** Starts before the consumers, with one read done, so that a restarted dispatcher knows from the start. */
    @Override
    public void start() {
        admin = Admin.create(adminConfig);
        refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "parked-subscriptions");
            thread.setDaemon(true);
            return thread;
        });
        try {
            refresher.submit(this::refresh).get(FIRST_READ.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("first read of parked subscriptions did not finish; going on", e);
        }
        refresher.scheduleWithFixedDelay(this::refresh, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        refresher = null;
        admin = null;
    }

    @Override
    public boolean isRunning() {
        return refresher != null;
    }

    @Override
    public int getPhase() {
        return 0;
    }

    private record Parked(int partition, long offset) {}
}
