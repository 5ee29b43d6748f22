package io.campanello.subscription.api;

import io.campanello.api.ApiException;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A request's {@code If-Match} precondition on a subscription's revision, whose entity tag is {@code "<revision>"}.
 * Without the header any revision matches (last writer wins, as before); {@code *} matches any existing one; the
 * comparison is the strong one RFC 9110 prescribes, so a weak tag ({@code W/"3"}) never matches.
 *
 * @param tags the entity tags the request named; empty for no precondition
 */
record IfMatch(List<String> tags) {

    /** No precondition. */
    static final IfMatch ANY = new IfMatch(List.of());

    IfMatch {
        tags = List.copyOf(tags);
    }

    /** From the header's value; null or blank for none. */
    static IfMatch of(String header) {
        if (header == null || header.isBlank()) {
            return ANY;
        }
        return new IfMatch(Arrays.stream(header.split(","))
                .map(String::trim)
                .filter(tag -> !tag.isEmpty())
                .toList());
    }

    /** The entity tag of a subscription at this revision. */
    static String etag(int revision) {
        return "\"" + revision + "\"";
    }

    boolean matches(int revision) {
        return tags.isEmpty() || tags.contains("*") || tags.contains(etag(revision));
    }

    /** Throws the 412 {@code revision_mismatch} problem unless the precondition holds at this revision. */
    void require(int revision) {
        if (!matches(revision)) {
            throw new ApiException(
                    HttpStatus.PRECONDITION_FAILED,
                    "revision_mismatch",
                    "the subscription is at revision " + revision
                            + ", not the one If-Match names; read it again and retry with If-Match: " + etag(revision));
        }
    }
}
