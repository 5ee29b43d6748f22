package io.campanello.cli;

/** An answer outside 2xx, read from its RFC 9457 problem body: the stable {@code code} and the {@code detail}. */
final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String detail;

    ApiException(int status, String code, String detail) {
        super(detail + " (" + code + ")");
        this.status = status;
        this.code = code;
        this.detail = detail;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String detail() {
        return detail;
    }
}
