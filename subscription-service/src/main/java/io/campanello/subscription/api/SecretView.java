package io.campanello.subscription.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** {@code GET …/secret}: the current secret, and the previous one while a rotation overlaps. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SecretView(String secret, List<Entry> previous) {

    /** One secret and, for a previous one, until when calls still carry its signature. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String secret, Instant expiresAt) {}

    static SecretView of(List<Entry> entries) {
        return new SecretView(entries.get(0).secret(), entries.subList(1, entries.size()));
    }
}
