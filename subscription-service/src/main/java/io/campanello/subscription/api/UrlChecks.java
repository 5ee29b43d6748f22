package io.campanello.subscription.api;

import io.campanello.api.ApiException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Whether a subscription's URL may be called, checked on a small pool of its own with a time limit: the check
 * resolves the host, and a slow resolver must neither stall the HTTP threads every tenant shares nor hold a request
 * open for long. A tenant has at most {@link #PER_TENANT} checks running at once, so one tenant's slow names cannot
 * take the pool from the others.
 */
@Component
class UrlChecks implements AutoCloseable {

    static final int PER_TENANT = 2;
    private static final int THREADS = 8;
    private static final int QUEUED = 64;

    private final UrlRule rule;
    private final Duration timeout;
    private final ThreadPoolExecutor pool;
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();

    UrlChecks(UrlRule rule, SubscriptionsProperties properties) {
        this.rule = rule;
        this.timeout = properties.urlCheckTimeout();
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(
                THREADS, THREADS, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED), task -> {
                    Thread thread = new Thread(task, "url-check-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Completes when the URL (already well-formed) may be called; fails with a 400 {@code url_not_allowed} when it
     * may not or its host could not be checked in time, and with a 429 {@code too_many_url_checks} while the
     * tenant's earlier checks still run.
     */
    CompletableFuture<Void> allowed(String tenant, String url) {
        AtomicInteger mine = running.computeIfAbsent(tenant, any -> new AtomicInteger());
        if (mine.incrementAndGet() > PER_TENANT) {
            mine.decrementAndGet();
            return CompletableFuture.failedFuture(new ApiException(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "too_many_url_checks",
                    "earlier subscription URLs of this tenant are still being checked; try again shortly"));
        }
        CompletableFuture<Optional<String>> refusal = new CompletableFuture<>();
        try {
            // The slot is freed when the resolver returns, not at the timeout: its thread is busy until then.
            pool.execute(() -> {
                try {
                    refusal.complete(rule.refusal(URI.create(url)));
                } catch (RuntimeException e) {
                    refusal.completeExceptionally(e);
                } finally {
                    mine.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            mine.decrementAndGet();
            return CompletableFuture.failedFuture(notCheckedInTime());
        }
        return refusal.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((reason, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                throw cause instanceof TimeoutException ? notCheckedInTime() : new CompletionException(cause);
            }
            reason.ifPresent(message -> {
                throw ApiException.badRequest("url_not_allowed", message);
            });
            return null;
        });
    }

    private static ApiException notCheckedInTime() {
        return ApiException.badRequest(
                "url_not_allowed",
                "the host could not be checked in time; try again, or name a host that resolves fast");
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
