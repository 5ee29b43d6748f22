package io.campanello.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * Calls one Campanello API with the API key (and the tenant, for the admin key) and reads the JSON answer. An answer
 * outside 2xx becomes an {@link ApiException}; a service that cannot be reached, an {@link IOException} that says
 * which URL.
 */
final class ApiClient {

    static final String TENANT_HEADER = "Campanello-Tenant";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final String apiKey;
    private final String tenant;

    ApiClient(HttpClient http, String apiKey, String tenant) {
        this.http = http;
        this.apiKey = apiKey;
        this.tenant = tenant;
    }

    JsonNode get(String url) throws IOException, InterruptedException {
        return send(request(url).GET());
    }

    JsonNode post(String url, JsonNode body) throws IOException, InterruptedException {
        return send(request(url)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.compact(body), StandardCharsets.UTF_8)));
    }

    JsonNode post(String url) throws IOException, InterruptedException {
        return send(request(url).POST(HttpRequest.BodyPublishers.noBody()));
    }

    JsonNode delete(String url) throws IOException, InterruptedException {
        return send(request(url).DELETE());
    }

    private HttpRequest.Builder request(String url) {
        var builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", "campanello-cli/0.1.0");
        if (tenant != null) {
            builder.header(TENANT_HEADER, tenant);
        }
        return builder;
    }

    private JsonNode send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new IOException(
                    "cannot connect to " + origin(request.uri()) + " ("
                            + (e.getMessage() != null ? e.getMessage() : "connection refused") + ")",
                    e);
        } catch (HttpConnectTimeoutException e) {
            throw new IOException("cannot connect to " + origin(request.uri()) + " (timed out)", e);
        } catch (IOException e) {
            throw new IOException("no answer from " + origin(request.uri()) + " (" + reason(e) + ")", e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return read(response.body(), status, request.uri());
        }
        throw problem(response, request.uri());
    }

    private static JsonNode read(String body, int status, URI uri) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return Json.parse(body);
        } catch (JacksonException e) {
            throw new ApiException(status, "invalid_response", "the answer of " + uri + " is not JSON");
        }
    }

    /** Reads the RFC 9457 body; a proxy's HTML page or an empty body still gives a code and a detail. */
    private static ApiException problem(HttpResponse<String> response, URI uri) {
        int status = response.statusCode();
        String code = "http_" + status;
        String detail = "HTTP " + status + " from " + uri;
        try {
            JsonNode body = Json.parse(response.body());
            if (body.path("code").isString()) {
                code = body.path("code").asString();
            }
            if (body.path("detail").isString()) {
                detail = body.path("detail").asString();
            } else if (body.path("title").isString()) {
                detail = body.path("title").asString();
            }
        } catch (JacksonException e) {
            // Not a problem body: the status says what there is to say.
        }
        return new ApiException(status, code, detail);
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    private static String reason(IOException e) {
        if (e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getCause() != null && e.getCause().getMessage() != null
                ? e.getCause().getMessage()
                : e.getClass().getSimpleName();
    }
}
