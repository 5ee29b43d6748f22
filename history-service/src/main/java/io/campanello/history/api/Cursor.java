package io.campanello.history.api;

import io.campanello.api.ApiException;
import io.campanello.schemas.Ids;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Where a page of a subscription's log ended, as an opaque token: the next page starts after it. */
record Cursor(String position) {

    static Cursor at(String position) {
        return new Cursor(position);
    }

    /** The cursor a client sent back, or 400 {@code invalid_cursor}. */
    static Cursor parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String position;
        try {
            position = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        int slash = position.indexOf('/');
        if (slash != 19
                || !position.substring(0, slash).chars().allMatch(Character::isDigit)
                || !Ids.isValid(Ids.DELIVERY, position.substring(slash + 1))) {
            throw invalid();
        }
        return new Cursor(position);
    }

    String text() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    private static ApiException invalid() {
        return ApiException.badRequest("invalid_cursor", "the cursor is not one this API gave");
    }
}
