package io.campanello.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.campanello.dispatcher.DispatcherProperties;
import io.campanello.schemas.v1.AttemptOutcome;
import io.campanello.urlpolicy.UrlPolicy;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;

class WebhookClientTest {

    private static final UrlPolicy LOCAL =
            new UrlPolicy(new UrlPolicy.Settings(true, List.of("127.0.0.0/8", "localhost")));
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path keys;

    private final List<DisposableServer> servers = new CopyOnWriteArrayList<>();
    private final List<WebhookClient> clients = new CopyOnWriteArrayList<>();

    /** A self-signed certificate for localhost, made with the JDK's keytool, and its PEM. */
    @BeforeAll
    static void makeCertificate() throws Exception {
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(
                keytool,
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-keystore",
                keys.resolve("server.p12").toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        run(
                keytool,
                "-exportcert",
                "-rfc",
                "-alias",
                "server",
                "-keystore",
                keys.resolve("server.p12").toString(),
                "-storepass",
                PASSWORD,
                "-file",
                keys.resolve("ca.pem").toString());
    }

    @AfterEach
    void stop() {
        clients.forEach(WebhookClient::destroy);
        servers.forEach(DisposableServer::disposeNow);
    }

    @Test
    void measuresTheEndpointsOwnAnswerTimeFromTheWrittenRequestToItsStatusLine() {
        DisposableServer server = serve(HttpServer.create()
                .handle((request, response) -> request.receive()
                        .then()
                        .then(Mono.delay(Duration.ofMillis(300)))
                        .then(response.status(200).send())));
        WebhookClient client = client(properties(null, ""), LOCAL);

        long start = System.nanoTime();
        WebhookClient.Attempted attempted = client.post(request("http://127.0.0.1:" + server.port() + "/hook"))
                .block(Duration.ofSeconds(10));
        Duration whole = Duration.ofNanos(System.nanoTime() - start);

        assertThat(attempted.outcome().kind()).isEqualTo(AttemptOutcome.DELIVERED);
        assertThat(attempted.answeredIn())
                .as("the endpoint's 300 ms, without connecting and writing before it")
                .isBetween(Duration.ofMillis(300), whole);
    }

    @Test
    void keepsTheFirstFourKibibytesOfAHugeResponseBody() {
        DisposableServer server = serve(HttpServer.create()
                .handle((request, response) -> response.status(500).sendString(Mono.just("x".repeat(1_000_000)))));
        WebhookClient client = client(properties(null, ""), LOCAL);

        WebhookClient.Attempted attempted = client.post(request("http://127.0.0.1:" + server.port() + "/hook"))
                .block(Duration.ofSeconds(10));

        assertThat(attempted.outcome().status()).isEqualTo(500);
        assertThat(attempted.body()).hasSize(4096);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "10.0.0.1",
                "172.16.5.4",
                "192.168.1.1",
                "169.254.169.254",
                "100.64.0.1",
                "0.0.0.0",
                "224.0.0.1",
                "[::1]",
                "[fc00::1]",
                "[fe80::1]",
                "[fd00:ec2::254]",
                "[::ffff:127.0.0.1]",
                "[::ffff:169.254.169.254]",
                "[::]",
                "localhost"
            })
    void refusesBlockedAddressesAtConnectTimeWithoutCallingThem(String host) {
        DisposableServer server = serve(HttpServer.create()
                .handle((request, response) -> response.status(204).send()));
        UrlPolicy registrationDefaults = new UrlPolicy(new UrlPolicy.Settings(true, List.of()));
        WebhookClient client = client(properties(null, ""), registrationDefaults);

        WebhookClient.Attempted attempted = client.post(request("http://" + host + ":" + server.port() + "/hook"))
                .block(Duration.ofSeconds(10));

        assertThat(attempted.outcome()).isEqualTo(new DeliveryOutcome.PermanentFailure(null, "blocked_address"));
    }

    @Test
    void goesThroughTheConfiguredProxyButStillRefusesBlockedTargets() {
        List<String> proxied = new CopyOnWriteArrayList<>();
        // A tunnelling proxy in miniature: it answers CONNECT, then serves the request sent through the tunnel itself.
        DisposableServer proxy = serve(HttpServer.create().handle((request, response) -> {
            proxied.add(request.method() + " " + request.uri());
            return response.status(request.method().name().equals("CONNECT") ? 200 : 204)
                    .send();
        }));
        WebhookClient client = client(properties(null, "127.0.0.1", proxy.port()), LOCAL);

        WebhookClient.Attempted delivered =
                client.post(request("http://127.0.0.1:9/hook")).block(Duration.ofSeconds(10));
        WebhookClient.Attempted refused =
                client.post(request("http://169.254.169.254/latest/meta-data")).block(Duration.ofSeconds(10));

        assertThat(delivered.outcome().kind()).isEqualTo(AttemptOutcome.DELIVERED);
        assertThat(proxied).containsExactly("CONNECT 127.0.0.1:9", "POST /hook");
        assertThat(refused.outcome().kind()).isEqualTo(AttemptOutcome.PERMANENT);
        assertThat(refused.outcome().error()).isEqualTo("blocked_address");
    }

    @Test
    void anUnknownAuthorityFailsWithItsReasonUntilItsBundleIsConfigured() throws Exception {
        KeyManagerFactory keyManagers = keyManagers();
        DisposableServer server = serve(HttpServer.create()
                .secure(spec -> spec.sslContext(Http11SslContextSpec.forServer(keyManagers)))
                .handle((request, response) -> response.status(200).send()));
        String url = "https://localhost:" + server.port() + "/hook";

        WebhookClient.Attempted untrusted =
                client(properties(null, ""), LOCAL).post(request(url)).block(Duration.ofSeconds(10));
        WebhookClient.Attempted trusted = client(properties(keys.resolve("ca.pem"), ""), LOCAL)
                .post(request(url))
                .block(Duration.ofSeconds(10));

        assertThat(untrusted.outcome().kind()).isEqualTo(AttemptOutcome.RETRYABLE);
        assertThat(untrusted.outcome().error()).isEqualTo("tls_failure");
        assertThat(untrusted.errorDetail()).containsIgnoringCase("certification path");
        assertThat(trusted.outcome().kind()).isEqualTo(AttemptOutcome.DELIVERED);
    }

    private DisposableServer serve(HttpServer server) {
        DisposableServer bound = server.host("127.0.0.1").port(0).bindNow();
        servers.add(bound);
        return bound;
    }

    private WebhookClient client(DispatcherProperties properties, UrlPolicy policy) {
        WebhookClient client = new WebhookClient(properties, policy);
        clients.add(client);
        return client;
    }

    private static Requests.Request request(String url) {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        return new Requests.Request(
                URI.create(url), Map.of("content-type", "application/json"), body, Duration.ofSeconds(5));
    }

    private static DispatcherProperties properties(Path caBundle, String proxyHost) {
        return properties(caBundle, proxyHost, 3128);
    }

    private static DispatcherProperties properties(Path caBundle, String proxyHost, int proxyPort) {
        return new DispatcherProperties(
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Set.of(410),
                1000,
                new DispatcherProperties.EndpointLimits(20, 200, Duration.ofSeconds(2), Duration.ofMillis(250)),
                new DispatcherProperties.Circuit(5, Duration.ofSeconds(30)),
                new DispatcherProperties.Health(20, Duration.ofDays(5)),
                Duration.ofSeconds(20),
                new DispatcherProperties.Proxy(proxyHost, proxyPort),
                new DispatcherProperties.Tls(caBundle),
                Duration.ofDays(28));
    }

    private static KeyManagerFactory keyManagers() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keys.resolve("server.p12").toFile())) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, PASSWORD.toCharArray());
        return factory;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }
}
