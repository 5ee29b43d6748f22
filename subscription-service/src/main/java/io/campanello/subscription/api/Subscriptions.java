package io.campanello.subscription.api;

import io.campanello.api.ApiException;
import io.campanello.kafka.CampanelloKafkaProperties;
import io.campanello.kafka.SecretCipher;
import io.campanello.kafka.TopicTable;
import io.campanello.schemas.Ids;
import io.campanello.schemas.v1.MatchMode;
import io.campanello.schemas.v1.PayloadFormat;
import io.campanello.schemas.v1.SigningSecret;
import io.campanello.schemas.v1.Subscription;
import io.campanello.schemas.v1.SubscriptionStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Creates, changes and deletes subscriptions. A change is written to the compacted topic first and answered once
 * Kafka acknowledged it; reads come from the table that follows the topic. Secrets and custom header values are
 * sealed before they leave. Changes to one subscription are serialised here: each builds on the one before it, even
 * while that one is still on its way to Kafka, so an {@code If-Match} precondition means what it says.
 */
@Component
public class Subscriptions {

    private final TopicTable<Subscription> table;
    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;
    private final SubscriptionRules rules;
    private final SecretCipher cipher;
    private final UrlChecks urlChecks;
    private final Clock clock;
    private final int maxPerTenant;
    /** Changes sent but not yet acknowledged, by id; empty for a deletion. Written under {@code this}. */
    private final Map<String, Optional<Subscription>> pending = new ConcurrentHashMap<>();

    Subscriptions(
            TopicTable<Subscription> table,
            KafkaTemplate<String, SpecificRecord> kafka,
            CampanelloKafkaProperties properties,
            SubscriptionRules rules,
            SecretCipher cipher,
            UrlChecks urlChecks,
            Clock clock,
            SubscriptionsProperties limits) {
        this.table = table;
        this.kafka = kafka;
        this.topic = properties.topics().subscriptions();
        this.rules = rules;
        this.cipher = cipher;
        this.urlChecks = urlChecks;
        this.clock = clock;
        this.maxPerTenant = limits.maxPerTenant();
    }

    /** A new subscription and its plain secret (shown once). */
    record Created(Subscription subscription, String secret) {}

    CompletableFuture<Created> create(String tenant, SubscriptionRequest request) {
        // Checked against the table, so two creates racing at the limit may both pass: the limit is a guard
        // against runaway clients, not an exact count.
        long count = table.values().stream()
                .filter(subscription -> subscription.getTenant().equals(tenant))
                .count();
        if (count >= maxPerTenant) {
            throw ApiException.quotaExceeded(
                    "subscriptions_per_tenant",
                    maxPerTenant,
                    "the tenant has " + count + " subscriptions, the most allowed is " + maxPerTenant
                            + "; delete one first");
        }
        String secret = rules.secret(request.secret());
        Instant now = clock.instant();
        boolean active = Boolean.TRUE.equals(request.activate());
        Subscription subscription = Subscription.newBuilder()
                .setId(Ids.newSubscriptionId())
                .setTenant(tenant)
                .setUrl(rules.url(request.url()))
                .setEventTypes(rules.eventTypes(request.eventTypes()))
                .setFilter(rules.filter(request.filter()))
                .setMode(request.mode() != null ? request.mode() : MatchMode.EVERY_TIME)
                .setStatus(active ? SubscriptionStatus.ACTIVE : SubscriptionStatus.DRAFT)
                .setActivatedAt(active ? now : null)
                .setSecrets(List.of(cipher.seal(secret, null)))
                .setSealedHeaders(cipher.sealHeaders(rules.headers(request.headers())))
                .setPayloadFormat(request.payloadFormat() != null ? request.payloadFormat() : PayloadFormat.JSON)
                .setTimeoutMillis(rules.timeoutMillis(request.timeoutMillis()))
                .setMaxConcurrency(rules.maxConcurrency(request.maxConcurrency()))
                .setRateLimit(rules.rateLimit(request.rateLimit()))
                .setCreatedAt(now)
                .build();
        return urlChecks
                .allowed(tenant, subscription.getUrl())
                .thenCompose(allowed -> write(subscription))
                .thenApply(written -> new Created(written, secret));
    }

    List<Subscription> list(String tenant) {
        return table.values().stream()
                .filter(subscription -> subscription.getTenant().equals(tenant))
                .sorted(Comparator.comparing(Subscription::getCreatedAt).thenComparing(Subscription::getId))
                .toList();
    }

    /** The tenant's subscription; another tenant's answers exactly like a missing one. */
    Subscription get(String tenant, String id) {
        return table.get(id)
                .filter(subscription -> subscription.getTenant().equals(tenant))
                .orElseThrow(() -> ApiException.notFound("subscription_not_found", "no subscription " + id));
    }

    /** Checks everything the patch names first, the URL's host last (it needs DNS), then applies it. */
    CompletableFuture<Subscription> patch(String tenant, String id, SubscriptionPatch patch, IfMatch ifMatch) {
        ifMatch.require(get(tenant, id).getRevision());
        UnaryOperator<Subscription.Builder> edit = edit(patch);
        CompletableFuture<Void> urlAllowed =
                patch.url() != null ? urlChecks.allowed(tenant, patch.url()) : CompletableFuture.completedFuture(null);
        return urlAllowed.thenCompose(allowed -> change(tenant, id, ifMatch, edit));
    }

    private UnaryOperator<Subscription.Builder> edit(SubscriptionPatch patch) {
        String url = patch.url() != null ? rules.url(patch.url()) : null;
        List<String> eventTypes = patch.eventTypes() != null ? rules.eventTypes(patch.eventTypes()) : null;
        String filter = patch.filter() != null ? rules.filter(patch.filter()) : null;
        Map<String, String> headers = patch.headers() != null ? rules.headers(patch.headers()) : null;
        Integer timeoutMillis = patch.timeoutMillis() != null ? rules.timeoutMillis(patch.timeoutMillis()) : null;
        Integer maxConcurrency = rules.maxConcurrency(patch.maxConcurrency());
        Integer rateLimit = rules.rateLimit(patch.rateLimit());
        return builder -> {
            if (url != null) {
                builder.setUrl(url);
            }
            if (eventTypes != null) {
                builder.setEventTypes(eventTypes);
            }
            if (patch.filter() != null) {
                builder.setFilter(filter);
            }
            if (patch.mode() != null) {
                builder.setMode(patch.mode());
            }
            if (headers != null) {
                builder.setHeaders(Map.of()).setSealedHeaders(cipher.sealHeaders(headers));
            }
            if (patch.payloadFormat() != null) {
                builder.setPayloadFormat(patch.payloadFormat());
            }
            if (timeoutMillis != null) {
                builder.setTimeoutMillis(timeoutMillis);
            }
            if (maxConcurrency != null) {
                builder.setMaxConcurrency(maxConcurrency);
            }
            if (rateLimit != null) {
                builder.setRateLimit(rateLimit);
            }
            return builder;
        };
    }

    CompletableFuture<Subscription> activate(String tenant, String id, IfMatch ifMatch) {
        return moveTo(tenant, id, ifMatch, SubscriptionStatus.ACTIVE, EnumSet.of(SubscriptionStatus.DRAFT), "activate");
    }

    CompletableFuture<Subscription> pause(String tenant, String id, IfMatch ifMatch) {
        return moveTo(tenant, id, ifMatch, SubscriptionStatus.PAUSED, EnumSet.of(SubscriptionStatus.ACTIVE), "pause");
    }

    CompletableFuture<Subscription> resume(String tenant, String id, IfMatch ifMatch) {
        return moveTo(
                tenant,
                id,
                ifMatch,
                SubscriptionStatus.ACTIVE,
                EnumSet.of(SubscriptionStatus.PAUSED, SubscriptionStatus.DISABLED),
                "resume");
    }

    /**
     * Disables a subscription whose endpoint is gone or kept failing: the same write as a pause, so its revision and
     * {@code updatedAt} change and the dispatcher parks its deliveries. Answers empty when there is nothing to
     * change: the subscription was deleted or is disabled already. {@link #resume} enables it again.
     */
    public CompletableFuture<Optional<Subscription>> disable(String id) {
        Optional<Subscription> current = table.get(id);
        if (current.isEmpty() || current.get().getStatus() == SubscriptionStatus.DISABLED) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return moveTo(
                        current.get().getTenant(),
                        id,
                        IfMatch.ANY,
                        SubscriptionStatus.DISABLED,
                        EnumSet.of(SubscriptionStatus.DRAFT, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAUSED),
                        "disable")
                .thenApply(Optional::of);
    }

    /** Rotates the secret; the previous one keeps signing for {@code overlap}. Answers the changed subscription. */
    CompletableFuture<Subscription> rotateSecret(
            String tenant, String id, String supplied, String overlap, IfMatch ifMatch) {
        String secret = rules.secret(supplied);
        Instant previousExpiresAt = clock.instant().plus(rules.rotationOverlap(overlap));
        return change(tenant, id, ifMatch, builder -> {
            List<SigningSecret> secrets = new ArrayList<>();
            secrets.add(cipher.seal(secret, null));
            SigningSecret current = builder.getSecrets().get(0);
            if (previousExpiresAt.isAfter(clock.instant())) {
                secrets.add(SigningSecret.newBuilder(current)
                        .setExpiresAt(previousExpiresAt)
                        .build());
            }
            return builder.setSecrets(secrets);
        });
    }

    /** The plain secrets that sign calls now: the current one first, then those of a rotation still overlapping. */
    List<SecretView.Entry> secrets(String tenant, String id) {
        Instant now = clock.instant();
        return get(tenant, id).getSecrets().stream()
                .filter(secret ->
                        secret.getExpiresAt() == null || secret.getExpiresAt().isAfter(now))
                .map(secret -> new SecretView.Entry(cipher.open(secret), secret.getExpiresAt()))
                .toList();
    }

    CompletableFuture<Void> delete(String tenant, String id, IfMatch ifMatch) {
        synchronized (this) {
            ifMatch.require(latest(tenant, id).getRevision());
            pending.put(id, Optional.empty());
            return kafka.send(topic, id, null)
                    .whenComplete((result, error) -> pending.remove(id, Optional.empty()))
                    .thenAccept(result -> table.applyOwnWrite(id, null));
        }
    }

    private CompletableFuture<Subscription> moveTo(
            String tenant,
            String id,
            IfMatch ifMatch,
            SubscriptionStatus target,
            Set<SubscriptionStatus> from,
            String action) {
        Subscription current = get(tenant, id);
        ifMatch.require(current.getRevision());
        if (current.getStatus() == target) {
            return CompletableFuture.completedFuture(current);
        }
        if (!from.contains(current.getStatus())) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "invalid_status_transition",
                    "cannot " + action + " a subscription that is " + current.getStatus());
        }
        return change(tenant, id, ifMatch, builder -> {
            if (builder.getStatus() == SubscriptionStatus.DRAFT && target == SubscriptionStatus.ACTIVE) {
                // The matcher may read events accepted before this moment after it: they stay undelivered to it.
                builder.setActivatedAt(clock.instant());
            }
            return builder.setStatus(target);
        });
    }

    /**
     * Applies a change to the latest version (one still on its way to Kafka included) if the precondition holds
     * there, and sends it. Under the lock, so two changes of one subscription never build on the same revision and
     * reach the topic in the order they were made. Clear headers an earlier release wrote are sealed on the way.
     */
    private synchronized CompletableFuture<Subscription> change(
            String tenant, String id, IfMatch ifMatch, UnaryOperator<Subscription.Builder> change) {
        Subscription current = latest(tenant, id);
        ifMatch.require(current.getRevision());
        Subscription.Builder builder = change.apply(Subscription.newBuilder(current));
        if (builder.getSealedHeaders().isEmpty() && !builder.getHeaders().isEmpty()) {
            builder.setSealedHeaders(cipher.sealHeaders(builder.getHeaders())).setHeaders(Map.of());
        }
        Subscription changed = builder.setRevision(current.getRevision() + 1)
                .setUpdatedAt(clock.instant())
                .build();
        pending.put(id, Optional.of(changed));
        return write(changed).whenComplete((written, error) -> pending.remove(id, Optional.of(changed)));
    }

    /** The tenant's subscription as the last change made it, acknowledged or not. */
    private Subscription latest(String tenant, String id) {
        Optional<Subscription> inFlight = pending.get(id);
        if (inFlight == null) {
            return get(tenant, id);
        }
        return inFlight.filter(subscription -> subscription.getTenant().equals(tenant))
                .orElseThrow(() -> ApiException.notFound("subscription_not_found", "no subscription " + id));
    }

    private CompletableFuture<Subscription> write(Subscription subscription) {
        return kafka.send(topic, subscription.getId(), subscription).thenApply(result -> {
            table.applyOwnWrite(subscription.getId(), subscription);
            return subscription;
        });
    }
}
