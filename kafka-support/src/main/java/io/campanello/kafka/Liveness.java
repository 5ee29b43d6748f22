package io.campanello.kafka;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Turns the service's liveness DOWN ({@code /actuator/health/liveness}) when one of its consumers has stopped for
 * good, so that the orchestrator restarts the service instead of leaving it up and reading nothing.
 */
public final class Liveness {

    private static final Logger log = LoggerFactory.getLogger(Liveness.class);

    private final ApplicationEventPublisher events;
    private final AtomicBoolean broken = new AtomicBoolean();

    public Liveness(ApplicationEventPublisher events) {
        this.events = events;
    }

    /** A consumer stopped for good: the service is broken until it is restarted. */
    public void broken(String consumer, String why, Throwable cause) {
        if (cause == null) {
            log.error("consumer stopped for good; liveness is DOWN consumer={} reason={}", consumer, why);
        } else {
            log.error("consumer stopped for good; liveness is DOWN consumer={} reason={}", consumer, why, cause);
        }
        if (broken.compareAndSet(false, true)) {
            AvailabilityChangeEvent.publish(events, this, LivenessState.BROKEN);
        }
    }
}
