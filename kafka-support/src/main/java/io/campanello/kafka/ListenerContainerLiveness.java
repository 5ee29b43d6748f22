package io.campanello.kafka;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.kafka.event.ConsumerFailedToStartEvent;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.event.ContainerStoppedEvent;
import org.springframework.kafka.event.KafkaEvent;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Turns liveness DOWN when a spring-kafka listener container stops for good while the service runs: its consumer
 * stopped for any reason but a normal stop (an error, refused credentials, no offset, fenced), did not start, or
 * the container stopped before the service began to shut down (e.g. stopped by an error handler).
 */
final class ListenerContainerLiveness implements ApplicationListener<ApplicationEvent> {

    private final Liveness liveness;
    private volatile boolean closing;

    ListenerContainerLiveness(Liveness liveness) {
        this.liveness = liveness;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ContextClosedEvent) {
            closing = true;
        }
        if (closing || !(event instanceof KafkaEvent kafkaEvent)) {
            return;
        }
        String reason = stoppedForGood(kafkaEvent);
        if (reason != null) {
            liveness.broken(containerName(kafkaEvent), reason, null);
        }
    }

    /** Why the event means a container stopped for good, or null when it does not. */
    static String stoppedForGood(KafkaEvent event) {
        if (event instanceof ConsumerStoppedEvent stopped) {
            return stopped.getReason() == ConsumerStoppedEvent.Reason.NORMAL
                    ? null
                    : "listener consumer stopped: " + stopped.getReason();
        }
        if (event instanceof ConsumerFailedToStartEvent) {
            return "listener consumer failed to start";
        }
        if (event instanceof ContainerStoppedEvent) {
            return "listener container stopped";
        }
        return null;
    }

    private static String containerName(KafkaEvent event) {
        Object container = event.getSource();
        if (container instanceof MessageListenerContainer listener) {
            return listener.getListenerId() == null ? container.toString() : listener.getListenerId();
        }
        return String.valueOf(container);
    }
}
