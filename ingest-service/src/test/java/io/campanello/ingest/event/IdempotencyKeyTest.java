package io.campanello.ingest.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyKeyTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "8e03978e-40d5-43e8-bc93-6894a57f9324",
                "01JDQ4Z6W7C1XKQ4S9B6V3T2M8",
                "b3JkZXItNDI=",
                "order-42:attempt/1",
                "a"
            })
    void acceptsUuidsUlidsAndBase64(String key) throws Exception {
        assertThat(IdempotencyKey.parse(key).value()).isEqualTo(key);
    }

    @Test
    void readsAQuotedKeyWithoutItsQuotesAsTheIetfDraftWritesIt() throws Exception {
        assertThat(IdempotencyKey.parse("\"8e03978e-40d5\"").value()).isEqualTo("8e03978e-40d5");
        assertThat(IdempotencyKey.parse("\"8e03978e-40d5\"")).isEqualTo(IdempotencyKey.parse("8e03978e-40d5"));
    }

    @Test
    void acceptsTheLongestKeyAndRefusesOneCharacterMore() throws Exception {
        assertThat(IdempotencyKey.parse("k".repeat(255)).value()).hasSize(255);
        assertThatThrownBy(() -> IdempotencyKey.parse("k".repeat(256)))
                .isInstanceOfSatisfying(
                        InvalidEventException.class, e -> assertThat(e.code()).isEqualTo("invalid_idempotency_key"))
                .hasMessageContaining("1 to 255");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\"\"", "with space", "tab\there", "line\nbreak", "quote\"inside", "back\\slash", "é"})
    void refusesEmptyKeysAndCharactersOutsideVisibleAscii(String key) {
        assertThatThrownBy(() -> IdempotencyKey.parse(key))
                .isInstanceOfSatisfying(
                        InvalidEventException.class, e -> assertThat(e.code()).isEqualTo("invalid_idempotency_key"));
    }

    @Test
    void neverEchoesTheKey() {
        String secretish = "customer-4111111111111111 x";
        assertThatThrownBy(() -> IdempotencyKey.parse(secretish)).message().doesNotContain("4111");
    }
}
