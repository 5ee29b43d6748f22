package io.campanello.subscription.api;

import io.campanello.api.ApiException;
import io.campanello.signature.Webhook;
import io.campanello.subscription.filter.EventFilter;
import io.campanello.subscription.filter.InvalidFilterException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/** What a subscription may hold; every refusal is a 400 with a stable code and a reason its owner can act on. */
@Component
class SubscriptionRules {

    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*(\\.\\*)?|\\*");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~\\-]{1,100}");
    /**
     * RFC 9110's field-value in ASCII, which is what Netty's HTTP encoder sends as it is: a value it refuses (a
     * control character, a leading space) or would garble (non-ASCII) would fail every attempt.
     */
    private static final Pattern HEADER_VALUE = Pattern.compile("([\\x21-\\x7E]([\\x20-\\x7E\\t]*[\\x21-\\x7E])?)?");

    private static final Set<String> RESERVED_HEADERS = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "content-length",
            "content-type",
            "content-encoding",
            "user-agent");
    private static final int MAX_URL_LENGTH = 2048;
    private static final int MAX_EVENT_TYPES = 100;
    private static final int MAX_HEADERS = 20;
    private static final int MAX_HEADER_VALUE = 1000;
    private static final int MIN_SECRET_BYTES = 24;
    private static final int MAX_SECRET_BYTES = 64;
    private static final int MAX_CONCURRENCY = 1000;
    private static final int MAX_RATE_LIMIT = 10_000;

    private final SubscriptionsProperties limits;

    SubscriptionRules(SubscriptionsProperties limits) {
        this.limits = limits;
    }

    /** The URL's form; whether its host may be called is {@link UrlChecks}' to say, as that needs DNS. */
    String url(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("'url' is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw invalid("'url' is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("'url' is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("'url' must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw invalid("'url' has no host");
        }
        return url;
    }

    List<String> eventTypes(List<String> eventTypes) {
        if (eventTypes == null || eventTypes.isEmpty()) {
            throw invalid("'eventTypes' needs at least one type, e.g. [\"order.created\", \"order.*\"]");
        }
        if (eventTypes.size() > MAX_EVENT_TYPES) {
            throw invalid("'eventTypes' holds at most " + MAX_EVENT_TYPES + " types");
        }
        for (String type : eventTypes) {
            if (type == null || !EVENT_TYPE.matcher(type).matches()) {
                throw invalid("'eventTypes' holds exact types (order.created) or end in a wildcard (order.*)");
            }
        }
        return eventTypes.stream().distinct().toList();
    }

    /** The filter as stored: null for none. */
    String filter(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        try {
            EventFilter.compile(filter);
            return filter;
        } catch (InvalidFilterException e) {
            throw ApiException.badRequest("invalid_filter", "'filter' is not a valid CEL expression " + e.getMessage());
        }
    }

    Map<String, String> headers(Map<String, String> headers) {
        if (headers == null) {
            return Map.of();
        }
        if (headers.size() > MAX_HEADERS) {
            throw invalid("'headers' holds at most " + MAX_HEADERS + " headers");
        }
        Map<String, String> valid = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
            if (!HEADER_NAME.matcher(lower).matches()) {
                throw invalid("header name '" + abbreviate(name) + "' is not a valid HTTP header name");
            }
            if (lower.startsWith("webhook-") || RESERVED_HEADERS.contains(lower)) {
                throw invalid("header '" + name + "' is set by Campanello and cannot be overridden");
            }
            if (value == null
                    || value.length() > MAX_HEADER_VALUE
                    || !HEADER_VALUE.matcher(value).matches()) {
                throw invalid("header '" + name + "' needs a value of at most " + MAX_HEADER_VALUE
                        + " visible ASCII characters (spaces and tabs only between them; no line breaks or other"
                        + " control characters)");
            }
            valid.put(lower, value);
        });
        return valid;
    }

    Integer timeoutMillis(Integer timeoutMillis) {
        if (timeoutMillis == null) {
            return null;
        }
        Duration timeout = Duration.ofMillis(timeoutMillis);
        if (timeout.compareTo(limits.minTimeout()) < 0 || timeout.compareTo(limits.maxTimeout()) > 0) {
            throw invalid(
                    "'timeoutMillis' must be between " + limits.minTimeout().toMillis() + " and "
                            + limits.maxTimeout().toMillis());
        }
        return timeoutMillis;
    }

    /** Calls in flight at once to the endpoint; null leaves it to the dispatcher's default. */
    Integer maxConcurrency(Integer maxConcurrency) {
        return between("maxConcurrency", maxConcurrency, 1, MAX_CONCURRENCY);
    }

    /** Calls per second to the endpoint; null for no limit. */
    Integer rateLimit(Integer rateLimit) {
        return between("rateLimit", rateLimit, 1, MAX_RATE_LIMIT);
    }

    private static Integer between(String name, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw invalid("'" + name + "' must be between " + min + " and " + max);
        }
        return value;
    }

    /** A supplied secret, or a new random one. */
    String secret(String supplied) {
        if (supplied == null) {
            return Webhook.generateSecret();
        }
        if (!supplied.startsWith(Webhook.SECRET_PREFIX)) {
            throw ApiException.badRequest("invalid_secret", "a secret starts with whsec_ followed by base64");
        }
        byte[] bytes;
        try {
            bytes = Webhook.decodeSecret(supplied);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_secret", "a secret starts with whsec_ followed by base64");
        }
        if (bytes.length < MIN_SECRET_BYTES || bytes.length > MAX_SECRET_BYTES) {
            throw ApiException.badRequest(
                    "invalid_secret",
                    "a secret holds " + MIN_SECRET_BYTES + " to " + MAX_SECRET_BYTES + " random bytes, in base64");
        }
        return supplied;
    }

    Duration rotationOverlap(String overlap) {
        if (overlap == null) {
            return limits.defaultRotationOverlap();
        }
        Duration parsed;
        try {
            parsed = org.springframework.boot.convert.DurationStyle.detectAndParse(overlap);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_request", "'overlap' is a duration such as 24h, 30m or PT1H");
        }
        if (parsed.isNegative() || parsed.compareTo(limits.maxRotationOverlap()) > 0) {
            throw ApiException.badRequest(
                    "invalid_request",
                    "'overlap' is between 0 and " + limits.maxRotationOverlap().toHours() + "h");
        }
        return parsed;
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest("invalid_subscription", detail);
    }

    private static String abbreviate(String value) {
        return value == null ? "" : value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
