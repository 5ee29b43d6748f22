package io.campanello.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.apicurio.registry.serde.SerdeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The smallest stand-in for a schema registry that a real serializer and Campanello's reader can both use (no
 * registry server runs on this machine): one store of schemas, reachable over plain HTTP and HTTPS, behind HTTP
 * Basic authentication, with the two calls the test needs from Apicurio Registry 2.x, whose serializer the producer
 * uses: its own API's "create or return artifact" ({@code POST /apis/registry/v2/groups/{group}/artifacts}, which
 * answers the artifact's content id) and the Confluent-compatible API's {@code GET /apis/ccompat/v7/schemas/ids/{id}}
 * (which, in Apicurio 2.x, names schemas by content id). It can be switched to answering 503, like a registry whose
 * backend is down. It does not check compatibility rules, versions, subjects or references.
 */
public final class ConfluentRegistryStandIn implements AutoCloseable {

    /** The base URL Campanello is given: Apicurio's Confluent-compatible API. */
    static final String CCOMPAT = "/apis/ccompat/v7";

    /** The base URL Apicurio's serializer is given: Apicurio's own API. */
    static final String APICURIO = "/apis/registry/v2";

    private static final Pattern ARTIFACTS = Pattern.compile(APICURIO + "/groups/([^/]+)/artifacts");
    private static final Pattern SCHEMA_BY_ID = Pattern.compile(CCOMPAT + "/schemas/ids/(\\d+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer http;
    private final HttpsServer https;
    private final String username;
    private final String password;
    private final String authorization;
    private final Map<String, Integer> idsByContent = new ConcurrentHashMap<>();
    private final Map<Integer, String> contentById = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final AtomicBoolean down = new AtomicBoolean();
    private final List<Integer> schemaRequests = new CopyOnWriteArrayList<>();

    /** A stand-in over plain HTTP only. */
    public ConfluentRegistryStandIn(String username, String password) throws Exception {
        this(username, password, null, null);
    }

    /** A stand-in over plain HTTP and, with this PKCS12 key store's key and certificate, HTTPS. */
    public ConfluentRegistryStandIn(String username, String password, Path keyStore, String keyStorePassword)
            throws Exception {
        this.username = username;
        this.password = password;
        this.authorization = "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.https = keyStore == null ? null : HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", this::handle);
        http.start();
        if (https != null) {
            https.setHttpsConfigurator(new HttpsConfigurator(sslContext(keyStore, keyStorePassword)));
            https.createContext("/", this::handle);
            https.start();
        }
    }

    /** Where Apicurio's serializer registers schemas ({@code apicurio.registry.url}). */
    public String apicurioUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + APICURIO;
    }

    /** The Confluent-compatible API over plain HTTP. */
    public String ccompatUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + CCOMPAT;
    }

    /** The Confluent-compatible API over HTTPS, for a certificate made out to localhost. */
    public String ccompatHttpsUrl() {
        return "https://localhost:" + https.getAddress().getPort() + CCOMPAT;
    }

    /**
     * The settings of Apicurio's {@code AvroKafkaSerializer} for this registry in Confluent's wire format: the schema
     * registered on first use, its content id (which the Confluent-compatible API names it by) as a 4-byte id in the
     * value, not in headers.
     */
    public Map<String, Object> serializerConfig() {
        return Map.of(
                SerdeConfig.REGISTRY_URL,
                apicurioUrl(),
                SerdeConfig.AUTH_USERNAME,
                username,
                SerdeConfig.AUTH_PASSWORD,
                password,
                SerdeConfig.AUTO_REGISTER_ARTIFACT,
                true,
                SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER,
                true,
                SerdeConfig.USE_ID,
                "contentId",
                SerdeConfig.ENABLE_HEADERS,
                false);
    }

    /** Answers every request 503 while down. */
    public void down(boolean isDown) {
        down.set(isDown);
    }

    /** The ids asked for over the Confluent-compatible API, in order, answered or not. */
    public List<Integer> schemaRequests() {
        return List.copyOf(schemaRequests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"error_code\": 401, \"message\": \"Unauthorized\"}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Matcher byId = SCHEMA_BY_ID.matcher(path);
            if (byId.matches() && exchange.getRequestMethod().equals("GET")) {
                int id = Integer.parseInt(byId.group(1));
                schemaRequests.add(id);
                if (down.get()) {
                    answer(exchange, 503, "{\"error_code\": 50301, \"message\": \"backend unavailable\"}");
                    return;
                }
                String content = contentById.get(id);
                if (content == null) {
                    answer(exchange, 404, "{\"error_code\": 40403, \"message\": \"Schema " + id + " not found\"}");
                    return;
                }
                ObjectNode schema = JSON.createObjectNode();
                schema.put("schema", content);
                answer(exchange, 200, JSON.writeValueAsString(schema));
                return;
            }
            Matcher artifacts = ARTIFACTS.matcher(path);
            if (artifacts.matches() && exchange.getRequestMethod().equals("POST") && !down.get()) {
                answer(exchange, 200, register(exchange, artifacts.group(1)));
                return;
            }
            answer(exchange, down.get() ? 503 : 404, "{\"error_code\": 404, \"message\": \"not here\"}");
        }
    }

    /** Apicurio's answer to "create or return": the artifact's metadata, its content id shared by equal content. */
    private String register(HttpExchange exchange, String group) throws IOException {
        String content;
        try (InputStream body = exchange.getRequestBody()) {
            content = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
        int contentId = idsByContent.computeIfAbsent(content, c -> nextId.getAndIncrement());
        contentById.put(contentId, content);
        String artifactId = exchange.getRequestHeaders().getFirst("X-Registry-ArtifactId");
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("groupId", group);
        metadata.put("id", artifactId);
        metadata.put("version", "1");
        metadata.put("type", "AVRO");
        metadata.put("state", "ENABLED");
        // Apicurio's global ids count versions, content ids contents: different numbers, so a mix-up shows.
        metadata.put("globalId", 1000L + contentId);
        metadata.put("contentId", (long) contentId);
        return JSON.writeValueAsString(metadata);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static SSLContext sslContext(Path keyStore, String password) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, password.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    @Override
    public void close() {
        http.stop(0);
        if (https != null) {
            https.stop(0);
        }
    }
}
