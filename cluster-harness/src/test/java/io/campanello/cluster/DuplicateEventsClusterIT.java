package io.campanello.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.Topics;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * A producer's retry makes no second delivery task with two ingest and two subscription-service instances on three
 * brokers: each event is posted to one ingest instance with an {@code Idempotency-Key}, the matcher that saw it is
 * killed ({@code kill -9}), and the retry goes to the other ingest instance; the surviving matcher, which took the
 * dead one's tasks and their memory of seen ids over, drops every retry. A marker per subject, posted after the
 * retries, proves they were matched (one subject, one partition of webhooks.events).
 */
class DuplicateEventsClusterIT {

    private static final int SUBJECTS = 12;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    private static KafkaCluster kafka;
    private static ServiceProcesses services;
    private static Admin admin;

    @BeforeAll
    static void startCluster() {
        kafka = KafkaCluster.start(dir, 3);
        services = new ServiceProcesses(kafka);
        admin = kafka.admin();
    }

    @AfterAll
    static void stopCluster() {
        if (admin != null) {
            admin.close();
        }
        if (services != null) {
            services.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aRetryToAnotherIngestInstanceAfterItsMatcherWasKilledMakesNoSecondTask() throws Exception {
        ServiceProcess survivor = services.start(Service.SUBSCRIPTIONS, "matcher-1", matcher("matcher-1"));
        String subscription = MatcherFixture.subscribe(survivor, "EVERY_TIME");
        ServiceProcess victim = services.start(Service.SUBSCRIPTIONS, "matcher-2", matcher("matcher-2"));
        ServiceProcess ingestOne = services.launch(Service.INGEST, "ingest-1");
        ServiceProcess ingestTwo = services.launch(Service.INGEST, "ingest-2");
        ingestOne.awaitReady();
        ingestTwo.awaitReady();
        await().atMost(WAIT).ignoreExceptions().until(DuplicateEventsClusterIT::settled);

        List<String> subjects =
                IntStream.range(0, SUBJECTS).mapToObj(i -> "order-" + i).toList();
        Map<String, String> keys = new HashMap<>();
        Map<String, String> ids = new HashMap<>();
        subjects.forEach(subject -> keys.put(subject, UUID.randomUUID().toString()));

        try (MatcherFixture.Tasks tasks = new MatcherFixture.Tasks(kafka.bootstrapServers())) {
            for (String subject : subjects) {
                ids.put(subject, post(ingestOne, subject, "first", keys.get(subject)));
            }
            await().atMost(WAIT).until(() -> tasks.poll().forSubjects(subscription, subjects) == SUBJECTS);
            // Both matchers committed: the survivor knows these events from the memory it takes over, not from
            // matching them a second time.
            await().atMost(WAIT).until(DuplicateEventsClusterIT::committedToTheEnd);
            assertThat(owners()).as("both matchers ran tasks").hasSize(2);

            victim.kill();
            for (String subject : subjects) {
                assertThat(post(ingestTwo, subject, "first", keys.get(subject)))
                        .as("the retry is answered with the first id")
                        .isEqualTo(ids.get(subject));
            }
            for (String subject : subjects) {
                post(ingestTwo, subject, "marker", null);
            }

            await().atMost(WAIT)
                    .until(() -> tasks.poll().countsBySubject(subscription).values().stream()
                                    .mapToInt(Integer::intValue)
                                    .sum()
                            >= 2 * SUBJECTS);
            assertThat(tasks.poll().countsBySubject(subscription))
                    .as("one task for each event and one for its marker; none for the retries")
                    .hasSize(SUBJECTS)
                    .allSatisfy((subject, count) -> assertThat(count).isEqualTo(2));
            assertThat(ClusterApi.metric(survivor, "campanello_events_deduplicated_total"))
                    .isEqualTo(SUBJECTS);
        }
    }

    /** Posts an {@code order.updated} event of {@code subject}, with the key when given; its id. */
    private static String post(ServiceProcess ingest, String subject, String note, String idempotencyKey)
            throws Exception {
        HttpRequest.Builder request = ClusterApi.request(ingest, "/v1/events")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"order.updated\", \"subject\": \"" + subject
                        + "\", \"data\": {\"note\": \"" + note + "\"}}"));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<String> answer = ClusterApi.send(request.build());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return JSON.readTree(answer.body()).get("id").stringValue();
    }

    private static String[] matcher(String name) {
        return new String[] {
            "--campanello.matcher.state-dir=" + dir.resolve(name),
            "--spring.kafka.streams.client-id=" + name,
            "--spring.kafka.streams.properties.session.timeout.ms=6000"
        };
    }

    /** The matcher's members (by client id prefix, the instance's name) and the partitions each runs. */
    private static Map<String, Set<TopicPartition>> owners() throws Exception {
        Map<String, Set<TopicPartition>> owners = new HashMap<>();
        for (MemberDescription member : group().members()) {
            Set<TopicPartition> assigned = member.assignment().topicPartitions();
            if (!assigned.isEmpty()) {
                String name = member.clientId().substring(0, member.clientId().indexOf("-StreamThread"));
                owners.computeIfAbsent(name, any -> new HashSet<>()).addAll(assigned);
            }
        }
        return owners;
    }

    private static boolean settled() throws Exception {
        Map<String, Set<TopicPartition>> owners = owners();
        long assigned = owners.values().stream().mapToLong(Set::size).sum();
        return group().groupState() == GroupState.STABLE
                && owners.size() == 2
                && assigned == partitions().size();
    }

    private static boolean committedToTheEnd() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(MatcherFixture.APPLICATION_ID)
                .partitionsToOffsetAndMetadata()
                .get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get();
        return ends.entrySet().stream().allMatch(end -> {
            OffsetAndMetadata offset = committed.get(end.getKey());
            return end.getValue().offset() == 0
                    || (offset != null && offset.offset() >= end.getValue().offset());
        });
    }

    private static List<TopicPartition> partitions() throws Exception {
        return admin
                .describeTopics(List.of(Topics.EVENTS))
                .allTopicNames()
                .get()
                .get(Topics.EVENTS)
                .partitions()
                .stream()
                .map(info -> new TopicPartition(Topics.EVENTS, info.partition()))
                .toList();
    }

    private static ConsumerGroupDescription group() throws Exception {
        return admin.describeConsumerGroups(List.of(MatcherFixture.APPLICATION_ID))
                .all()
                .get()
                .get(MatcherFixture.APPLICATION_ID);
    }
}
