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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Creates, changes and deletes subscriptions. A change is written to the compacted topic first and answered once
 * Kafka acknowledged it; reads come from the table that follows the topic. Secrets are sealed before they leave.
 */
@Component
public class Subscriptions {

    private final TopicTable<Subscription> table;
    private final KafkaTemplate<String, SpecificRecord> kafka;
    private final String topic;
    private final SubscriptionRules rules;
    private final SecretCipher cipher;
    private final Clock clock;
    private final int maxPerTenant;

    Subscriptions(
            TopicTable<Subscription> table,
            KafkaTemplate<String, SpecificRecord> kafka,
            CampanelloKafkaProperties properties,
            SubscriptionRules rules,
            SecretCipher cipher,
            Clock clock,
            SubscriptionsProperties limits) {
        this.table = table;
        this.kafka = kafka;
        this.topic = properties.topics().subscriptions();
        this.rules = rules;
        this.cipher = cipher;
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
        Subscription subscription = Subscription.newBuilder()
                .setId(Ids.newSubscriptionId())
                .setTenant(tenant)
                .setUrl(rules.url(request.url()))
                .setEventTypes(rules.eventTypes(request.eventTypes()))
                .setFilter(rules.filter(request.filter()))
                .setMode(request.mode() != null ? request.mode() : MatchMode.EVERY_TIME)
                .setStatus(
                        Boolean.TRUE.equals(request.activate()) ? SubscriptionStatus.ACTIVE : SubscriptionStatus.DRAFT)
                .setSecrets(List.of(cipher.seal(secret, null)))
                .setHeaders(rules.headers(request.headers()))
                .setPayloadFormat(request.payloadFormat() != null ? request.payloadFormat() : PayloadFormat.JSON)
                .setTimeoutMillis(rules.timeoutMillis(request.timeoutMillis()))
                .setMaxConcurrency(rules.maxConcurrency(request.maxConcurrency()))
                .setRateLimit(rules.rateLimit(request.rateLimit()))
                .setCreatedAt(clock.instant())
                .build();
        return write(subscription).thenApply(written -> new Created(written, secret));
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

    CompletableFuture<Subscription> patch(String tenant, String id, SubscriptionPatch patch) {
        return change(tenant, id, builder -> {
            if (patch.url() != null) {
                builder.setUrl(rules.url(patch.url()));
            }
            if (patch.eventTypes() != null) {
                builder.setEventTypes(rules.eventTypes(patch.eventTypes()));
            }
            if (patch.filter() != null) {
                builder.setFilter(rules.filter(patch.filter()));
            }
            if (patch.mode() != null) {
                builder.setMode(patch.mode());
            }
            if (patch.headers() != null) {
                builder.setHeaders(rules.headers(patch.headers()));
            }
            if (patch.payloadFormat() != null) {
                builder.setPayloadFormat(patch.payloadFormat());
            }
            if (patch.timeoutMillis() != null) {
                builder.setTimeoutMillis(rules.timeoutMillis(patch.timeoutMillis()));
            }
            if (patch.maxConcurrency() != null) {
                builder.setMaxConcurrency(rules.maxConcurrency(patch.maxConcurrency()));
            }
            if (patch.rateLimit() != null) {
                builder.setRateLimit(rules.rateLimit(patch.rateLimit()));
            }
            return builder;
        });
    }

    CompletableFuture<Subscription> activate(String tenant, String id) {
        return moveTo(tenant, id, SubscriptionStatus.ACTIVE, EnumSet.of(SubscriptionStatus.DRAFT), "activate");
    }

    CompletableFuture<Subscription> pause(String tenant, String id) {
        return moveTo(tenant, id, SubscriptionStatus.PAUSED, EnumSet.of(SubscriptionStatus.ACTIVE), "pause");
    }

    CompletableFuture<Subscription> resume(String tenant, String id) {
        return moveTo(
                tenant,
                id,
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
                        SubscriptionStatus.DISABLED,
                        EnumSet.of(SubscriptionStatus.DRAFT, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAUSED),
                        "disable")
                .thenApply(Optional::of);
    }

    /** Rotates the secret; the previous one keeps signing for {@code overlap}. Answers the new plain secret. */
    CompletableFuture<String> rotateSecret(String tenant, String id, String supplied, String overlap) {
        String secret = rules.secret(supplied);
        Instant previousExpiresAt = clock.instant().plus(rules.rotationOverlap(overlap));
        return change(tenant, id, builder -> {
                    List<SigningSecret> secrets = new ArrayList<>();
                    secrets.add(cipher.seal(secret, null));
                    SigningSecret current = builder.getSecrets().get(0);
                    if (previousExpiresAt.isAfter(clock.instant())) {
                        secrets.add(SigningSecret.newBuilder(current)
                                .setExpiresAt(previousExpiresAt)
                                .build());
                    }
                    return builder.setSecrets(secrets);
                })
                .thenApply(changed -> secret);
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

    CompletableFuture<Void> delete(String tenant, String id) {
        get(tenant, id);
        return kafka.send(topic, id, null).thenAccept(result -> table.applyOwnWrite(id, null));
    }

    private CompletableFuture<Subscription> moveTo(
            String tenant, String id, SubscriptionStatus target, Set<SubscriptionStatus> from, String action) {
        Subscription current = get(tenant, id);
        if (current.getStatus() == target) {
            return CompletableFuture.completedFuture(current);
        }
        if (!from.contains(current.getStatus())) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "invalid_status_transition",
                    "cannot " + action + " a subscription that is " + current.getStatus());
        }
        return change(tenant, id, builder -> builder.setStatus(target));
    }

    private CompletableFuture<Subscription> change(
            String tenant, String id, UnaryOperator<Subscription.Builder> change) {
        Subscription current = get(tenant, id);
        Subscription changed = change.apply(Subscription.newBuilder(current))
                .setRevision(current.getRevision() + 1)
                .setUpdatedAt(clock.instant())
                .build();
        return write(changed);
    }

    private CompletableFuture<Subscription> write(Subscription subscription) {
        return kafka.send(topic, subscription.getId(), subscription).thenApply(result -> {
            table.applyOwnWrite(subscription.getId(), subscription);
            return subscription;
        });
    }
}
