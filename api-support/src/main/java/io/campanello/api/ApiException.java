package io.campanello.api;

import org.springframework.http.HttpStatus;

/**
 * A request Campanello refuses, answered as RFC 9457 problem+json with a stable machine {@code code}
 * ({@code invalid_event}, {@code subscription_not_found}, …) and a human {@code detail} that never echoes a secret.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final HttpStatus status;
    private final String code;

    public ApiException(HttpStatus status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiException badRequest(String code, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, code, detail);
    }

    public static ApiException notFound(String code, String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, code, detail);
    }
}
