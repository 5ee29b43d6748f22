package io.campanello.ingest.catalog;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Runs the {@code pattern}s of tenants' schemas on RE2 (re2j), whose time is linear in the input, instead of the
 * JDK's backtracking engine, on which a pattern such as {@code ^(.*a){8}$} takes minutes on 60 characters. RE2 has
 * no look-arounds and no back-references; a pattern using them is refused. Counted repetitions are unrolled by
 * RE2, so a pattern may expand to at most {@value #MAX_EXPANDED_SIZE} elements: {@code [a-z]{1000}} is refused.
 */
final class LinearRegularExpressions implements RegularExpressionFactory {

    /** With this bound, a pattern checks even a whole 256 KiB string in well under a second. */
    static final long MAX_EXPANDED_SIZE = 256;

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Optional<String> problem = problem(regex);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        Pattern pattern = Pattern.compile(regex);
        // JSON Schema patterns are not anchored: find, not matches.
        return value -> pattern.matcher(value).find();
    }

    /** Why a pattern cannot be used, if it cannot. */
    static Optional<String> problem(String regex) {
        long size = expandedSize(regex);
        if (size > MAX_EXPANDED_SIZE) {
            return Optional.of("the pattern repeats too much (it expands to more than " + MAX_EXPANDED_SIZE
                    + " elements; use + or * instead of large counts)");
        }
        try {
            Pattern.compile(regex);
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of("the pattern cannot be used (" + e.getDescription()
                    + "; look-arounds and back-references are not supported)");
        }
    }

    /**
     * How many elements (characters, classes, escapes) a pattern has once its counted repetitions are unrolled, the
     * way RE2 compiles them: {@code (ab){3}} is 6. Alternatives add up. Stops counting past the bound.
     */
    static long expandedSize(String regex) {
        Deque<long[]> groups = new ArrayDeque<>();
        long[] current = {0, 0}; // {size so far, size of the last element}
        int i = 0;
        while (i < regex.length() && current[0] <= MAX_EXPANDED_SIZE) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i = skipEscape(regex, i);
                add(current, 1);
            } else if (c == '[') {
                i = skipClass(regex, i);
                add(current, 1);
            } else if (c == '(') {
                groups.push(current);
                current = new long[] {0, 0};
                i++;
            } else if (c == ')' && !groups.isEmpty()) {
                long group = Math.max(current[0], 1);
                current = groups.pop();
                add(current, group);
                i++;
            } else if (c == '{' && counted(regex, i) >= 0) {
                long times = counted(regex, i);
                current[0] += current[1] * (times - 1);
                current[1] *= times;
                i = regex.indexOf('}', i) + 1;
            } else {
                if (c != '|' && c != '*' && c != '+' && c != '?' && c != '^' && c != '$') {
                    add(current, 1);
                }
                i++;
            }
        }
        while (!groups.isEmpty()) {
            long group = current[0];
            current = groups.pop();
            add(current, group);
        }
        return current[0];
    }

    private static void add(long[] current, long size) {
        current[0] += size;
        current[1] = size;
    }

    /** The larger count of {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code i}, or -1 if it is not one. */
    private static long counted(String regex, int i) {
        int end = regex.indexOf('}', i);
        if (end < 0) {
            return -1;
        }
        String body = regex.substring(i + 1, end);
        if (!body.matches("\\d{1,9}(,\\d{0,9})?")) {
            return -1;
        }
        long most = 0;
        for (String count : body.split(",")) {
            most = Math.max(most, Long.parseLong(count));
        }
        return Math.max(most, 1);
    }

    private static int skipEscape(String regex, int i) {
        int next = i + 2;
        if (next - 1 < regex.length()
                && "pPux".indexOf(regex.charAt(next - 1)) >= 0
                && next < regex.length()
                && regex.charAt(next) == '{') {
            int end = regex.indexOf('}', next);
            return end < 0 ? regex.length() : end + 1;
        }
        return Math.min(next, regex.length());
    }

    private static int skipClass(String regex, int i) {
        int j = i + 1;
        if (j < regex.length() && regex.charAt(j) == '^') {
            j++;
        }
        if (j < regex.length() && regex.charAt(j) == ']') {
            j++;
        }
        while (j < regex.length() && regex.charAt(j) != ']') {
            j = regex.charAt(j) == '\\' ? j + 2 : j + 1;
        }
        return Math.min(j + 1, regex.length());
    }
}
