package io.campanello.ingest.event;

/**
 * The {@code Idempotency-Key} a producer sends with {@code POST /v1/events}: it names the event, so a request sent
 * again with the same key (after a timeout, a 503 or a lost answer) is the same event with the same id, and the
 * matcher drops the second one within its dedupe window. 1 to 255 visible ASCII characters without spaces, quotes or
 * backslashes (a UUID, a ULID, base64); a key written as a quoted string, as the IETF draft's structured field
 * ({@code "8e03978e-…"}), is read without its quotes.
 *
 * @param value the key without quotes
 */
public record IdempotencyKey(String value) {

    /** The request header. */
    public static final String HEADER = "Idempotency-Key";

    static final int MAX_LENGTH = 255;

    /** Answered 400 with this code when the header is not a valid key. */
    public static final String INVALID = "invalid_idempotency_key";

    public IdempotencyKey {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a valid idempotency key");
        }
    }

    /**
     * The key in a header value.
     *
     * @throws InvalidEventException ({@code invalid_idempotency_key}) when it is empty, too long or has a character
     *     outside visible ASCII; the message never echoes the key
     */
    public static IdempotencyKey parse(String header) throws InvalidEventException {
        String key = header;
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
        }
        if (!isValid(key)) {
            throw new InvalidEventException(
                    INVALID,
                    HEADER + " must be 1 to " + MAX_LENGTH
                            + " visible ASCII characters without spaces, quotes or backslashes (e.g. a UUID)");
        }
        return new IdempotencyKey(key);
    }

    private static boolean isValid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Never the key itself: it may be derived from the producer's data. */
    @Override
    public String toString() {
        return "IdempotencyKey[" + value.length() + " characters]";
    }
}
