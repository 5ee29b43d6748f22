package io.campanello.dispatcher.delivery;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The share-group consumer ({@code campanello.dispatcher.consumer=share}) was removed (docs/dispatcher.md says why).
 * A dispatcher still configured for it refuses to start: the consumer group it would now read with has no committed
 * offsets and would deliver again everything the topics still hold.
 */
@Component
@ConditionalOnProperty(name = "campanello.dispatcher.consumer", havingValue = "share")
class ShareConsumerRemoved {

    ShareConsumerRemoved() {
        throw new IllegalStateException("campanello.dispatcher.consumer=share was removed; the dispatcher reads with"
                + " the consumer group " + DeliveryConsumer.GROUP_ID + ". Set its offsets from the share group's"
                + " (kafka-consumer-groups.sh --reset-offsets) and drop the setting; see docs/dispatcher.md");
    }
}
