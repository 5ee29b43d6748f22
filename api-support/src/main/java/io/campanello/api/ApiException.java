package io.campanello.api;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A request Campanello refuses, answered as RFC 9457 problem+json with a stable machine {@code code}
 * ({@code invalid_event}, {@code subscription_not_found}, …) and a human {@code detail} that never echoes a secret.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final HttpStatus status;
    private final String code;
    private final Map<String, Object> properties;

    public ApiException(HttpStatus status, String code, String detail) {
        this(status, code, detail, Map.of());
    }

    /** A refusal whose problem carries extra members next to {@code code} (e.g. which limit was hit). */
    public ApiException(HttpStatus status, String code, String detail, Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.code = code;
        this.properties = Map.copyOf(properties);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The extra members of the problem. */
    public Map<String, Object> properties() {
        return properties;
    }

    public static ApiException badRequest(String code, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, code, detail);
    }

    public static ApiException notFound(String code, String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, code, detail);
    }

    /**
     * 429 {@code quota_exceeded}: the tenant reached a limit; the problem names it ({@code limit}) and its value
     * ({@code max}). Deleting or finishing something frees room; the limit itself is set by the operator.
     */
    public static ApiException quotaExceeded(String limit, long max, String detail) {
        return new ApiException(
                HttpStatus.TOO_MANY_REQUESTS, "quota_exceeded", detail, Map.of("limit", limit, "max", max));
    }
}
