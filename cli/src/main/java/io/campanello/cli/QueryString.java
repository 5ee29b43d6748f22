package io.campanello.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds a URL with query parameters, leaving out the ones that have no value. */
final class QueryString {

    private final StringBuilder url;
    private boolean first = true;

    private QueryString(String url) {
        this.url = new StringBuilder(url);
    }

    static QueryString on(String url) {
        return new QueryString(url);
    }

    /** Adds {@code name=value}, encoded, unless the value is null. */
    QueryString add(String name, Object value) {
        if (value != null) {
            url.append(first ? '?' : '&').append(name).append('=').append(encode(value.toString()));
            first = false;
        }
        return this;
    }

    String url() {
        return url.toString();
    }

    /** One path segment (an id typed by a person), encoded so that it stays one segment. */
    static String segment(String value) {
        return encode(value);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
