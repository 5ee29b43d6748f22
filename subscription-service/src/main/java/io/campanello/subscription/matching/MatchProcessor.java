package io.campanello.subscription.matching;

import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.schemas.v1.EventEnvelope;
import io.campanello.schemas.v1.MatchMode;
import io.campanello.schemas.v1.Subscription;
import io.campanello.subscription.filter.EvaluationBudget;
import io.campanello.subscription.filter.EventFilter;
import io.micrometer.core.instrument.Counter;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns each event into one delivery task per matching subscription of its tenant. What a mode remembers per
 * subject is in a state store whose changelog is a Kafka topic, so it survives restarts and rebalances; events
 * of one subject share a partition, so one task sees them all, in order.
 */
final class MatchProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    static final String STORE = "subject-memory";

    private static final Logger log = LoggerFactory.getLogger(MatchProcessor.class);

    private final SubscriptionIndex index;
    private final ObjectMapper json;
    private final Counter filterErrors;
    private final EvaluationBudget budget;
    private final Function<EvaluationBudget.Reason, Counter> filterCuts;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, String> memory;

    MatchProcessor(
            SubscriptionIndex index,
            ObjectMapper json,
            Counter filterErrors,
            EvaluationBudget budget,
            Function<EvaluationBudget.Reason, Counter> filterCuts) {
        this.index = index;
        this.json = json;
        this.filterErrors = filterErrors;
        this.budget = budget;
        this.filterCuts = filterCuts;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.memory = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (!(record.value() instanceof EventEnvelope event)) {
            log.warn("skipped a record that is not an event key={}", record.key());
            return;
        }
        SubscriptionIndex.Matches candidates = index.matching(event.getTenant(), event.getType());
        Variables variables = new Variables(event);
        long receivedAt = event.getReceivedAt().toEpochMilli();
        for (int i = 0; i < candidates.size(); i++) {
            if (!candidates.takes(i, receivedAt)) {
                // Accepted while the subscription was a draft, read after its activation: as if it did not exist.
                continue;
            }
            MatchMode mode = candidates.mode(i);
            boolean matches = passes(candidates.filter(i), variables, candidates.id(i));
            MatchDecision decision;
            if (MatchDecision.remembers(mode)) {
                String key = candidates.id(i) + "/" + (event.getSubject() != null ? event.getSubject() : event.getId());
                decision = MatchDecision.decide(mode, matches, memory.get(key));
                if (decision.remember() != null) {
                    memory.put(key, decision.remember());
                }
            } else {
                decision = MatchDecision.decide(mode, matches, null);
            }
            if (decision.deliver()) {
                Subscription subscription = candidates.subscription(i);
                context.forward(new Record<>(subscription.getId(), task(event, subscription), record.timestamp()));
            }
        }
    }

    private boolean passes(EventFilter filter, Variables variables, String subscriptionId) {
        if (filter == null) {
            return true;
        }
        try {
            return filter.matches(variables.get(), budget);
        } catch (EventFilter.FilterCutException e) {
            filterCuts.apply(e.reason()).increment();
            log.info(
                    "filter cut, no match subscription_id={} event_id={} reason={}",
                    subscriptionId,
                    variables.event.getId(),
                    e.reason());
            return false;
        } catch (EventFilter.FilterEvaluationException e) {
            filterErrors.increment();
            log.debug(
                    "filter failed, no match subscription_id={} event_id={} error={}",
                    subscriptionId,
                    variables.event.getId(),
                    e.getMessage());
            return false;
        }
    }

    /** An event's filter variables, prepared on first use and shared by every filter of that event. */
    private final class Variables {

        private final EventEnvelope event;
        private Map<String, Object> prepared;

        Variables(EventEnvelope event) {
            this.event = event;
        }

        Map<String, Object> get() throws EventFilter.FilterEvaluationException {
            if (prepared == null) {
                prepared = EventFilter.variables(event, json);
            }
            return prepared;
        }
    }

    static DeliveryTask task(EventEnvelope event, Subscription subscription) {
        return DeliveryTask.newBuilder()
                .setDeliveryId(Ids.deliveryId(event.getId(), subscription.getId()))
                .setSubscriptionId(subscription.getId())
                .setTenant(event.getTenant())
                .setEvent(event)
                .build();
    }
}
