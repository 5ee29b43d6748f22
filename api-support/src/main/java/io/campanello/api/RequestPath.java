package io.campanello.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The path of a request as the handlers will see it: percent-decoded, and only if it is already normal. A path with
 * an empty segment ({@code //}), a {@code .} or {@code ..} segment (plain or encoded), an encoded {@code /} or
 * {@code \}, a {@code ;} (path parameters), a control character or a malformed escape is not answered at all: what
 * the API key filter checks is then exactly what the handlers match.
 */
final class RequestPath {

    private RequestPath() {}

    /** The decoded path, or empty when the raw path is not normal. */
    static Optional<String> normalised(String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/' || rawPath.indexOf(';') >= 0 || rawPath.indexOf('\\') >= 0) {
            return Optional.empty();
        }
        StringBuilder path = new StringBuilder(rawPath.length());
        int start = 1;
        while (start <= rawPath.length()) {
            int end = rawPath.indexOf('/', start);
            boolean last = end < 0;
            String raw = last ? rawPath.substring(start) : rawPath.substring(start, end);
            Optional<String> segment = decoded(raw);
            if (segment.isEmpty()
                    || (raw.isEmpty() && !last)
                    || segment.get().equals(".")
                    || segment.get().equals("..")
                    || segment.get()
                            .chars()
                            .anyMatch(c -> c == '/' || c == '\\' || c == ';' || c < 0x20 || c == 0x7F)) {
                return Optional.empty();
            }
            path.append('/').append(segment.get());
            if (last) {
                break;
            }
            start = end + 1;
        }
        return Optional.of(path.toString());
    }

    /** A segment's percent-escapes decoded as UTF-8; empty for a malformed escape or invalid UTF-8. */
    private static Optional<String> decoded(String segment) {
        if (segment.indexOf('%') < 0) {
            return Optional.of(segment);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    return Optional.empty();
                }
                int high = Character.digit(segment.charAt(i + 1), 16);
                int low = Character.digit(segment.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return Optional.empty();
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c > 0x7F) {
                return Optional.empty();
            } else {
                bytes.write(c);
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
