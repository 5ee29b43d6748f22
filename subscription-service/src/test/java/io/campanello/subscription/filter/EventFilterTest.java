package io.campanello.subscription.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.campanello.schemas.v1.EventEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class EventFilterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DATA = "{\"amount\": 150, \"price\": 99.5, \"currency\": \"EUR\","
            + " \"customer\": {\"tier\": \"gold\", \"country\": \"IT\"}, \"items\": [{\"sku\": \"A\", \"qty\": 2},"
            + " {\"sku\": \"B\", \"qty\": 1}], \"tags\": [\"b2b\", \"rush\"], \"paid\": true}";

    private static EventEnvelope event(String data) {
        return EventEnvelope.newBuilder()
                .setId("evt_1")
                .setTenant("t")
                .setType("order.created")
                .setSubject("order-42")
                .setSource("/erp")
                .setTime(Instant.parse("2026-11-23T10:00:00Z"))
                .setReceivedAt(Instant.parse("2026-11-23T10:00:01Z"))
                .setData(data)
                .setAttributes(Map.of("region", "eu"))
                .build();
    }

    private static boolean matches(String expression) throws Exception {
        return EventFilter.compile(expression).matches(event(DATA), JSON);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "data.amount > 100                                         | true",
                "data.amount > 150                                         | false",
                "data.amount >= 150 && data.amount < 151                   | true",
                "data.price < 100                                          | true",
                "data.price == 99.5                                        | true",
                "data.currency == 'EUR'                                    | true",
                "data.currency.startsWith('E')                             | true",
                "data.customer.tier == 'gold'                              | true",
                "data.customer.country in ['IT', 'FR']                     | true",
                "data.items.exists(i, i.sku == 'B')                        | true",
                "data.items.all(i, i.qty > 1)                              | false",
                "size(data.items) == 2                                     | true",
                "'rush' in data.tags                                       | true",
                "data.paid                                                 | true",
                "has(data.customer)                                        | true",
                "has(data.discount)                                        | false",
                "has(data.customer.vip)                                    | false",
                "type == 'order.created' && subject == 'order-42'         | true",
                "source == '/erp'                                          | true",
                "attributes.region == 'eu'                                 | true",
                "time > timestamp('2026-01-01T00:00:00Z')                  | true",
                "type.startsWith('invoice.')                               | false"
            })
    void evaluatesAgainstTheEvent(String expression, boolean expected) throws Exception {
        assertThat(matches(expression)).isEqualTo(expected);
    }

    @Test
    void anExpressionThatFailsOnAnEventIsAnErrorNotAMatch() throws Exception {
        EventFilter missingField = EventFilter.compile("data.discount > 10");
        EventFilter wrongType = EventFilter.compile("data.currency > 10");

        assertThatThrownBy(() -> missingField.matches(event(DATA), JSON))
                .isInstanceOf(EventFilter.FilterEvaluationException.class);
        assertThatThrownBy(() -> wrongType.matches(event(DATA), JSON))
                .isInstanceOf(EventFilter.FilterEvaluationException.class);
        assertThat(EventFilter.compile("has(data.discount) && data.discount > 10")
                        .matches(event(DATA), JSON))
                .isFalse();
    }

    @Test
    void anEventWithoutDataHasAnEmptyMap() throws Exception {
        assertThat(EventFilter.compile("!has(data.amount)").matches(event(null), JSON))
                .isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "data.amount >                | at line 1, column",
                "type + 'x'                   | at line 1",
                "nosuchvar == 1               | undeclared reference to 'nosuchvar'",
                "subject == 1                 | at line 1"
            })
    void refusesAnInvalidExpressionWithItsPosition(String expression, String message) {
        assertThatThrownBy(() -> EventFilter.compile(expression))
                .isInstanceOf(InvalidFilterException.class)
                .hasMessageContaining(message);
    }

    @Test
    void boundsTheWorkOfOneEvaluation() throws Exception {
        String big = "{\"n\": [" + "1,".repeat(5_000) + "1]}";
        EventFilter loop = EventFilter.compile("data.n.all(x, x == 1)");

        assertThatThrownBy(() -> loop.matches(event(big), JSON))
                .isInstanceOf(EventFilter.FilterEvaluationException.class);
        assertThatThrownBy(() -> EventFilter.compile("a".repeat(2_001))).isInstanceOf(InvalidFilterException.class);
    }

    @Test
    void cutsAnExpressionThatWalksALargeStringOverAndOver() throws Exception {
        Map<String, Object> variables = EventFilter.variables(event("{\"s\": \"" + "a".repeat(200_000) + "\"}"), JSON);
        EventFilter filter = EventFilter.compile(PathologicalFilters.balancedOr("data.s.matches('a*b')"));

        // The default cost, without the time backstop: the cut must come from the cost alone.
        EvaluationBudget costOnly =
                new EvaluationBudget(EvaluationBudget.DEFAULT.maxCost(), Duration.ofMinutes(1), System::nanoTime);

        long started = System.nanoTime();
        assertThatThrownBy(() -> filter.matches(variables, costOnly))
                .isInstanceOfSatisfying(
                        EventFilter.FilterCutException.class,
                        cut -> assertThat(cut.reason()).isEqualTo(EvaluationBudget.Reason.COST));
        // Uncut, this filter took about 0.6 s per event here; the budget stops it after about ten of its 74 leaves.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(400));
    }

    @Test
    void cutsAnEvaluationThatRunsPastItsTime() throws Exception {
        // Each step takes a millisecond, on the wall clock and of the thread's CPU time alike.
        long[] now = {0};
        EvaluationBudget budget = new EvaluationBudget(
                Long.MAX_VALUE, Duration.ofMillis(5), () -> now[0] += 1_000_000, () -> now[0] += 1_000_000);
        EventFilter filter = EventFilter.compile(PathologicalFilters.balancedOr("data.currency == 'USD'"));

        assertThatThrownBy(() -> filter.matches(EventFilter.variables(event(DATA), JSON), budget))
                .isInstanceOfSatisfying(
                        EventFilter.FilterCutException.class,
                        cut -> assertThat(cut.reason()).isEqualTo(EvaluationBudget.Reason.TIME));
    }

    @Test
    void aPauseOfTheProcessDoesNotCutACheapFilter() throws Exception {
        // The wall clock jumps a second during the evaluation (a garbage collection, no core free), while the thread
        // itself used almost no CPU: the event still matches.
        long[] wall = {0};
        long[] cpu = {0};
        EvaluationBudget budget = new EvaluationBudget(
                Long.MAX_VALUE, Duration.ofMillis(50), () -> wall[0] += 1_000_000_000, () -> cpu[0] += 1_000);
        EventFilter filter = EventFilter.compile("data.currency == 'EUR' && data.amount > 100");

        assertThat(filter.matches(EventFilter.variables(event(DATA), JSON), budget))
                .isTrue();
    }

    @Test
    void aFilterOverALargeStringWithinItsBudgetStillMatches() throws Exception {
        Map<String, Object> variables = EventFilter.variables(event("{\"s\": \"" + "a".repeat(200_000) + "b\"}"), JSON);

        assertThat(EventFilter.compile("data.s.matches('a*b') && data.s.endsWith('b')")
                        .matches(variables))
                .isTrue();
    }
}
