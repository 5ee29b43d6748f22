package io.campanello.ingest.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.regex.RegularExpression;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LinearRegularExpressionsTest {

    private final LinearRegularExpressions factory = new LinearRegularExpressions();

    @Test
    void aPatternThatMakesABacktrackingEngineRunForMinutesAnswersAtOnce() {
        RegularExpression pattern = factory.getRegularExpression("^(.*a){8}$");
        long start = System.nanoTime();

        assertThat(pattern.matches("a".repeat(59) + "b")).isFalse();
        assertThat(pattern.matches("a".repeat(60))).isTrue();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void patternsAreUnanchoredLikeJsonSchemaSays() {
        assertThat(factory.getRegularExpression("[0-9]{3}").matches("order 123"))
                .isTrue();
        assertThat(factory.getRegularExpression("^[A-Z]{3}$").matches("EUR")).isTrue();
        assertThat(factory.getRegularExpression("^[A-Z]{3}$").matches("EURO")).isFalse();
        assertThat(factory.getRegularExpression("^\\p{L}+$").matches("Zürich")).isTrue();
        assertThat(factory.getRegularExpression("a$").matches("a\n")).isFalse();
    }

    @Test
    void countsWhatCountedRepetitionsExpandTo() {
        assertThat(LinearRegularExpressions.expandedSize("abc")).isEqualTo(3);
        assertThat(LinearRegularExpressions.expandedSize("(ab){3}")).isEqualTo(6);
        assertThat(LinearRegularExpressions.expandedSize("^[a-z]{2,5}\\d+$")).isEqualTo(6);
        assertThat(LinearRegularExpressions.expandedSize("(a|bc)*")).isEqualTo(3);
        assertThat(LinearRegularExpressions.expandedSize("\\p{L}{4}")).isEqualTo(4);
        assertThat(LinearRegularExpressions.expandedSize("((a{10}){10}){10}")).isGreaterThan(256);
        assertThat(LinearRegularExpressions.expandedSize("(((a{1000}){1000}){1000}){1000}"))
                .isGreaterThan(256);
        assertThat(LinearRegularExpressions.expandedSize("[{]{2}")).isEqualTo(2);
    }

    @Test
    void refusesPatternsThatRepeatTooMuchOrNeedBacktracking() {
        assertThat(LinearRegularExpressions.problem("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"))
                .isEmpty();
        assertThat(LinearRegularExpressions.problem("[a-z]{1000}"))
                .hasValueSatisfying(problem -> assertThat(problem).contains("repeats too much"));
        assertThat(LinearRegularExpressions.problem("(a)\\1"))
                .hasValueSatisfying(problem -> assertThat(problem).contains("back-references"));
        assertThat(LinearRegularExpressions.problem("(?=a)b")).isPresent();
        assertThatThrownBy(() -> factory.getRegularExpression("(a{1000}){1000}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
