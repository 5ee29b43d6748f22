package io.campanello.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition of a subscription on a topic: the one Kafka's producer picks for the subscription id as the record
 * key (murmur2 of its UTF-8 bytes). Records keyed by something else, such as attempts (keyed by delivery id), are
 * written there explicitly, so that they sit in the same partition number as the subscription's deliveries and a
 * consumer of both topics (the delivery history) finds everything of a subscription in one partition.
 */
public final class SubscriptionPartition {

    private SubscriptionPartition() {}

    public static int of(String subscriptionId, int partitions) {
        return Utils.toPositive(Utils.murmur2(subscriptionId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
