package io.campanello.subscription.matching;

import static org.assertj.core.api.Assertions.assertThat;

import io.campanello.schemas.v1.MatchMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchDecisionTest {

    /** Runs a sequence of filter results for one subject through a mode; returns which were delivered. */
    private static List<Boolean> deliveries(MatchMode mode, boolean... matches) {
        String remembered = null;
        List<Boolean> delivered = new ArrayList<>();
        for (boolean match : matches) {
            MatchDecision decision = MatchDecision.decide(mode, match, remembered);
            delivered.add(decision.deliver());
            if (decision.remember() != null) {
                remembered = decision.remember();
            }
        }
        return delivered;
    }

    @Test
    void everyTimeDeliversEveryMatch() {
        assertThat(deliveries(MatchMode.EVERY_TIME, true, true, false, true)).containsExactly(true, true, false, true);
    }

    @Test
    void oncePerSubjectDeliversOnlyTheFirstMatchEver() {
        assertThat(deliveries(MatchMode.ONCE_PER_SUBJECT, false, true, true, false, true))
                .containsExactly(false, true, false, false, false);
    }

    @Test
    void onTransitionDeliversWhenTheFilterTurnsTrue() {
        // stock 20 (no), drops to 8 (fire), 5 (still low: no), back to 30 (no), drops to 3 (fire again)
        assertThat(deliveries(MatchMode.ON_TRANSITION, false, true, true, false, true))
                .containsExactly(false, true, false, false, true);
    }

    @Test
    void onTransitionFiresOnTheFirstMatchOfANewSubject() {
        assertThat(deliveries(MatchMode.ON_TRANSITION, true, true)).containsExactly(true, false);
    }
}
