package io.campanello.subscription.matching;

import static org.assertj.core.api.Assertions.assertThat;

import io.campanello.kafka.TopicTable;
import io.campanello.schemas.v1.Subscription;
import io.campanello.schemas.v1.SubscriptionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SubscriptionIndexTest {

    private final TopicTable<Subscription> table =
            new TopicTable<>("webhooks.subscriptions", Subscription.class, Map.of(), Duration.ofSeconds(1));
    private final SubscriptionIndex index = new SubscriptionIndex(table);

    private Subscription put(String id, String tenant, String... types) {
        Subscription subscription = Subscription.newBuilder()
                .setId(id)
                .setTenant(tenant)
                .setUrl("https://example.com/" + id)
                .setEventTypes(List.of(types))
                .setStatus(SubscriptionStatus.ACTIVE)
                .setSecrets(List.of())
                .setCreatedAt(Instant.EPOCH)
                .build();
        table.applyOwnWrite(id, subscription);
        return subscription;
    }

    private List<String> matching(String tenant, String type) {
        SubscriptionIndex.Matches matches = index.matching(tenant, type);
        return IntStream.range(0, matches.size()).mapToObj(matches::id).toList();
    }

    @Test
    void matchesExactTypesAndTrailingWildcardsAtEveryLevel() {
        put("exact", "t", "order.created");
        put("orders", "t", "order.*");
        put("everything", "t", "*");
        put("deep", "t", "order.created.*");
        put("other", "t", "invoice.paid");

        assertThat(matching("t", "order.created")).containsExactlyInAnyOrder("exact", "orders", "everything");
        assertThat(matching("t", "order.created.eu")).containsExactlyInAnyOrder("orders", "everything", "deep");
        assertThat(matching("t", "invoice.paid")).containsExactlyInAnyOrder("other", "everything");
        assertThat(matching("t", "orders")).containsExactly("everything");
    }

    @Test
    void neverMatchesAnotherTenantsSubscription() {
        put("mine", "a", "order.*");
        put("theirs", "b", "order.*");

        assertThat(matching("a", "order.created")).containsExactly("mine");
        assertThat(matching("b", "order.created")).containsExactly("theirs");
    }

    @Test
    void matchesASubscriptionOnceEvenWhenSeveralOfItsTypesMatch() {
        put("both", "t", "order.created", "order.*");

        assertThat(matching("t", "order.created")).containsExactly("both");
    }

    @Test
    void leavesDraftsOutAndKeepsPausedOnesForParking() {
        put("draft", "t", "order.*");
        table.applyOwnWrite(
                "draft",
                Subscription.newBuilder(table.get("draft").orElseThrow())
                        .setStatus(SubscriptionStatus.DRAFT)
                        .build());
        put("paused", "t", "order.*");
        table.applyOwnWrite(
                "paused",
                Subscription.newBuilder(table.get("paused").orElseThrow())
                        .setStatus(SubscriptionStatus.PAUSED)
                        .build());

        assertThat(matching("t", "order.created")).containsExactly("paused");
    }

    @Test
    void followsChangesAndDeletions() {
        put("s", "t", "order.created");
        put("s", "t", "invoice.paid");
        assertThat(matching("t", "order.created")).isEmpty();
        assertThat(matching("t", "invoice.paid")).containsExactly("s");

        table.applyOwnWrite("s", null);
        assertThat(matching("t", "invoice.paid")).isEmpty();
    }

    @Test
    void anAnswerItRememberedIsForgottenWhenTheIndexChanges() {
        put("first", "t", "order.*");
        assertThat(matching("t", "order.created")).containsExactly("first");

        put("second", "t", "order.created");
        assertThat(matching("t", "order.created")).containsExactlyInAnyOrder("first", "second");

        table.applyOwnWrite("first", null);
        assertThat(matching("t", "order.created")).containsExactly("second");
    }

    @Test
    void remembersTheAnswersOfManyTypesAndTenantsApart() {
        for (int i = 0; i < 300; i++) {
            put("a-" + i, "a", "type" + i + ".created");
            put("b-" + i, "b", "type" + i + ".created");
        }
        for (int round = 0; round < 2; round++) { // the first asks, the second reads what was remembered
            for (int i = 0; i < 300; i++) {
                assertThat(matching("a", "type" + i + ".created")).containsExactly("a-" + i);
                assertThat(matching("b", "type" + i + ".created")).containsExactly("b-" + i);
                assertThat(matching("a", "type" + i + ".deleted")).isEmpty();
            }
        }

        put("a-7", "a", "type8.created");
        assertThat(matching("a", "type7.created")).isEmpty();
        assertThat(matching("a", "type8.created")).containsExactlyInAnyOrder("a-7", "a-8");
        assertThat(matching("b", "type7.created")).containsExactly("b-7");
    }
}
