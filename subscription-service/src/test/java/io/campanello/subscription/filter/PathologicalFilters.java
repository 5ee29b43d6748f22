package io.campanello.subscription.filter;

import java.util.ArrayList;
import java.util.List;

/** Filters that are small and balanced, so every static check accepts them, yet costly to evaluate. */
public final class PathologicalFilters {

    private PathologicalFilters() {}

    /** A balanced OR of {@code leaf}, as long as the filter may be: every leaf walks the whole string. */
    public static String balancedOr(String leaf) {
        List<String> leaves = new ArrayList<>(List.of(leaf));
        while (balanced(leaves).length() + leaf.length() + 8 < 2_000) {
            leaves.add(leaf);
        }
        return balanced(leaves);
    }

    private static String balanced(List<String> leaves) {
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        int half = leaves.size() / 2;
        return "(" + balanced(leaves.subList(0, half)) + " || " + balanced(leaves.subList(half, leaves.size())) + ")";
    }
}
