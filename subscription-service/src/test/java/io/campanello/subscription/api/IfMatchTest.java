package io.campanello.subscription.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.campanello.api.ApiException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class IfMatchTest {

    @Test
    void withoutTheHeaderEveryRevisionMatches() {
        assertThat(IfMatch.of(null).matches(7)).isTrue();
        assertThat(IfMatch.of(" ").matches(7)).isTrue();
    }

    @Test
    void matchesTheQuotedRevisionAnyOfAListOrAStar() {
        assertThat(IfMatch.of("\"3\"").matches(3)).isTrue();
        assertThat(IfMatch.of("\"3\"").matches(4)).isFalse();
        assertThat(IfMatch.of("\"2\", \"4\"").matches(4)).isTrue();
        assertThat(IfMatch.of("*").matches(9)).isTrue();
    }

    @Test
    void aWeakOrUnquotedTagNeverMatches() {
        assertThat(IfMatch.of("W/\"3\"").matches(3)).isFalse();
        assertThat(IfMatch.of("3").matches(3)).isFalse();
    }

    @Test
    void aStalePreconditionIsA412NamingTheCurrentRevision() {
        assertThatThrownBy(() -> IfMatch.of("\"1\"").require(2))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.PRECONDITION_FAILED);
                    assertThat(e.code()).isEqualTo("revision_mismatch");
                })
                .hasMessageContaining("If-Match: \"2\"");
    }
}
