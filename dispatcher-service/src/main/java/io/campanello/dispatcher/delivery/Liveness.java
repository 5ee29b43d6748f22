package io.campanello.dispatcher.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Turns the dispatcher's liveness ({@code /actuator/health/liveness}) DOWN when one of its consumers has ended
 * without being stopped: nothing reads its topic any more, so the orchestrator must restart the instance.
 */
@Component
class Liveness {

    private static final Logger log = LoggerFactory.getLogger(Liveness.class);

    private final ApplicationEventPublisher events;

    Liveness(ApplicationEventPublisher events) {
        this.events = events;
    }

    void consumerEnded(String consumer, RuntimeException cause) {
        log.error("{} consumer ended; liveness is now broken so that the instance is restarted", consumer, cause);
        AvailabilityChangeEvent.publish(events, this, LivenessState.BROKEN);
    }
}
