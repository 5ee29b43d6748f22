package io.campanello.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Campanello API on 127.0.0.1:0 that records every request and answers what the test scripted for a method and
 * path; the last answer scripted for a route repeats. Anything unscripted gets a 404 problem.
 */
final class FakeApi implements AutoCloseable {

    /** One request as the server saw it. */
    record Request(String method, String path, String query, String body, Map<String, List<String>> headers) {

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        /** The query's parameters, decoded. */
        Map<String, String> params() {
            Map<String, String> params = new LinkedHashMap<>();
            if (query != null) {
                for (String pair : query.split("&")) {
                    String[] parts = pair.split("=", 2);
                    params.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
                }
            }
            return params;
        }
    }

    private record Answer(int status, String contentType, String body) {}

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();

    FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Scripts the answers to {@code method path}, one per request, the last one repeating. */
    FakeApi answer(String method, String path, int status, String... bodies) {
        Deque<Answer> queue = answers.computeIfAbsent(method + " " + path, key -> new ArrayDeque<>());
        for (String body : bodies) {
            queue.add(new Answer(status, "application/json", body));
        }
        return this;
    }

    FakeApi problem(String method, String path, int status, String code, String detail) {
        String body =
                "{\"type\":\"https://campanello.io/problems/%s\",\"title\":\"x\",\"status\":%d,\"detail\":\"%s\",\"code\":\"%s\"}"
                        .formatted(code, status, detail, code);
        answers.computeIfAbsent(method + " " + path, key -> new ArrayDeque<>())
                .add(new Answer(status, "application/problem+json", body));
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String method, String path) {
        return requests.stream()
                .filter(request ->
                        request.method().equals(method) && request.path().equals(path))
                .toList();
    }

    Request only() {
        if (requests.size() != 1) {
            throw new AssertionError("expected one request, got " + requests);
        }
        return requests.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        requests.add(new Request(
                method, path, exchange.getRequestURI().getRawQuery(), body, Map.copyOf(exchange.getRequestHeaders())));
        Answer answer = next(method + " " + path);
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private Answer next(String route) {
        Deque<Answer> queue = answers.get(route);
        if (queue == null || queue.isEmpty()) {
            return new Answer(
                    404,
                    "application/problem+json",
                    "{\"status\":404,\"detail\":\"no route " + route + "\",\"code\":\"not_found\"}");
        }
        synchronized (queue) {
            return queue.size() > 1 ? queue.poll() : queue.peek();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
