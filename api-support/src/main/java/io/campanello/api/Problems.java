package io.campanello.api;

import java.net.URI;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the problem bodies of every Campanello API: RFC 9457 plus a stable {@code code} property. */
public final class Problems {

    /** The extension member that carries the stable, machine-readable error code. */
    public static final String CODE = "code";

    private static final String TYPE_BASE = "https://campanello.io/problems/";

    private Problems() {}

    public static ProblemDetail of(HttpStatusCode status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + code.replace('_', '-')));
        problem.setProperty(CODE, code);
        return problem;
    }

    /** The code of an error Campanello did not raise itself (404 of an unknown path, 405, 415, …). */
    static String codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> status.is5xxServerError() ? "internal_error" : "http_" + status.value();
        };
    }
}
