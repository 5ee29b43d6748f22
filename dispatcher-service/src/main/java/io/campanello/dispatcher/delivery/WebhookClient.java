package io.campanello.dispatcher.delivery;

import io.campanello.dispatcher.DispatcherProperties;
import io.campanello.urlpolicy.UrlPolicy;
import io.netty.channel.ChannelOption;
import io.netty.util.NetUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.X509TrustManager;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.netty.transport.ProxyProvider;

/** POSTs one signed request with reactor-netty and classifies what came back. Redirects are not followed. */
@Component
class WebhookClient implements DisposableBean {

    private static final int KEPT_BODY_BYTES = 4096;
    private static final List<String> KEPT_HEADERS =
            List.of("content-type", "retry-after", "location", "x-request-id", "x-correlation-id");

    /** Address literals the policy allowed, at most this many (then forgotten all at once). */
    private static final int REMEMBERED_LITERALS = 10_000;

    private final Set<String> allowedLiterals = ConcurrentHashMap.newKeySet();
    private final ConnectionProvider connections;
    private final LoopResources loops;
    /** DNS look-ups, off the event loops; the JDK caches answers (networkaddress.cache.ttl). */
    private final ExecutorService lookups = Executors.newFixedThreadPool(16, runnable -> {
        Thread thread = new Thread(runnable, "webhook-dns");
        thread.setDaemon(true);
        return thread;
    });

    private final HttpClient http;
    private final DispatcherProperties properties;
    private final UrlPolicy policy;

    WebhookClient(DispatcherProperties properties, UrlPolicy policy) {
        this.properties = properties;
        this.policy = policy;
        this.connections = ConnectionProvider.builder("webhooks")
                .maxConnections(2000)
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        this.loops = LoopResources.create("webhooks", LoopResources.DEFAULT_IO_WORKER_COUNT, true);
        HttpClient client = HttpClient.create(connections)
                .runOn(loops)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        properties.connectTimeout().toMillis())
                .responseTimeout(properties.responseTimeout())
                .followRedirect(false);
        DispatcherProperties.Proxy proxy = properties.proxy();
        if (proxy.enabled()) {
            // The proxy connects to the endpoint, so the policy is applied before the request (and the proxy should
            // have egress rules of its own); the proxy itself may well be an internal address.
            client = client.proxy(spec ->
                    spec.type(ProxyProvider.Proxy.HTTP).host(proxy.host()).port(proxy.port()));
        } else {
            client = client.resolver(new PolicyResolverGroup(policy, lookups));
        }
        Path caBundle = properties.tls().caBundle();
        if (caBundle != null) {
            X509TrustManager trust = TrustedAuthorities.jdkAnd(caBundle);
            client = client.secure(spec -> spec.sslContext(
                    Http11SslContextSpec.forClient().configure(builder -> builder.trustManager(trust))));
        }
        this.http = client;
    }

    /**
     * What an attempt came to, and what the endpoint answered (kept in the attempt record, never logged); when no
     * response came, what the transport said (e.g. why TLS failed). {@code answeredIn}: from the request's last byte
     * written to the response's status line read, the endpoint's own time without this instance's work on the
     * request before and after; null when no response came, or it came before the request was written whole.
     */
    record Attempted(
            DeliveryOutcome outcome,
            Map<String, String> headers,
            String body,
            String errorDetail,
            Duration answeredIn) {

        static Attempted failed(Throwable error) {
            return new Attempted(Outcomes.ofError(error), Map.of(), null, Outcomes.errorDetail(error), null);
        }
    }

    Mono<Attempted> post(Requests.Request request) {
        Duration deadline = properties.connectTimeout().plus(request.timeout());
        long[] writtenAt = {0};
        // Headers and timeout are set on the request itself: configuring the client per request (responseTimeout,
        // headers) copies its whole configuration every time.
        Mono<Attempted> direct = http.post()
                .uri(request.url())
                .send((outbound, out) -> {
                    outbound.responseTimeout(request.timeout());
                    request.headers().forEach(outbound::header);
                    return out.sendByteArray(Mono.just(request.body()))
                            .then()
                            .doOnSuccess(written -> writtenAt[0] = System.nanoTime());
                })
                .response((response, content) -> {
                    Duration answeredIn = writtenAt[0] == 0 ? null : Duration.ofNanos(System.nanoTime() - writtenAt[0]);
                    return keptBody(content)
                            .map(body -> new Attempted(
                                    Outcomes.ofStatus(
                                            response.status().code(),
                                            response.responseHeaders().get("retry-after"),
                                            Instant.now(),
                                            properties::isPermanent),
                                    keptHeaders(response.responseHeaders()),
                                    body,
                                    null,
                                    answeredIn));
                })
                .single()
                .timeout(deadline);
        String host = unbracketed(request.url().getHost());
        // The resolver applies the policy to host names; an address literal never reaches it, and behind a proxy the
        // proxy resolves: then the policy is applied here, before the request (a literal needs no DNS, and the
        // policy's answer for it never changes: an allowed literal is remembered).
        Mono<Attempted> call = direct;
        if (!allowedLiterals.contains(host)) {
            boolean literal = NetUtil.createByteArrayFromIpAddressString(host) != null;
            if (literal || properties.proxy().enabled()) {
                call = Mono.fromCallable(() -> {
                            PolicyResolverGroup.allowed(policy, host);
                            if (literal) {
                                rememberAllowed(host);
                            }
                            return host;
                        })
                        .subscribeOn(literal ? Schedulers.immediate() : Schedulers.boundedElastic())
                        .then(direct);
            }
        }
        return call.onErrorResume(error -> Mono.just(Attempted.failed(error)));
    }

    private void rememberAllowed(String literal) {
        if (allowedLiterals.size() >= REMEMBERED_LITERALS) {
            allowedLiterals.clear();
        }
        allowedLiterals.add(literal);
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The first 4 KiB of a response body; reading stops there (a huge or endless body costs nothing more). */
    private static Mono<String> keptBody(ByteBufFlux content) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        return content.asByteArray()
                .takeUntil(chunk -> {
                    kept.write(chunk, 0, Math.min(chunk.length, KEPT_BODY_BYTES - kept.size()));
                    return kept.size() >= KEPT_BODY_BYTES;
                })
                .then(Mono.fromSupplier(() -> kept.toString(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> keptHeaders(io.netty.handler.codec.http.HttpHeaders headers) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : KEPT_HEADERS) {
            String value = headers.get(name);
            if (value != null) {
                kept.put(name, value.length() > 200 ? value.substring(0, 200) : value);
            }
        }
        return kept;
    }

    @Override
    public void destroy() {
        lookups.shutdownNow();
        connections.disposeLater().block(Duration.ofSeconds(5));
        loops.disposeLater(Duration.ofMillis(100), Duration.ofSeconds(5)).block(Duration.ofSeconds(6));
    }
}
