package io.campanello.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A matcher mode keeps its memory when the matcher instance running its task is killed: on three brokers, with two
 * subscription-service JVMs (standby replicas as configured, 1 by default), a {@code ONCE_PER_SUBJECT} subscription
 * and the tasks read straight from {@code webhooks.deliveries}. {@code -Dcluster.matcher.standby-replicas=0} runs it
 * without standby copies (the survivor then restores the memory from the changelog).
 */
class MatcherTakeoverIT {

    private static final Logger log = LoggerFactory.getLogger(MatcherTakeoverIT.class);
    private static final int SUBJECTS = 5;
    private static final Duration WAIT = Duration.ofSeconds(60);

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
    void aSubjectSeenBeforeItsMatcherIsKilledDoesNotMatchAgainAfterTheTakeOver() throws Exception {
        ServiceProcess first = services.start(Service.SUBSCRIPTIONS, "matcher-1", matcher("matcher-1"));
        String subscription = MatcherFixture.subscribe(first, "ONCE_PER_SUBJECT");
        // Started once the subscription exists, so that both instances match it from their first event.
        ServiceProcess second = services.start(Service.SUBSCRIPTIONS, "matcher-2", matcher("matcher-2"));
        Map<String, ServiceProcess> instances = Map.of("matcher-1", first, "matcher-2", second);

        TopicPartition partition = new TopicPartition(Topics.EVENTS, 0);
        int partitions = admin.describeTopics(List.of(Topics.EVENTS))
                .allTopicNames()
                .get()
                .get(Topics.EVENTS)
                .partitions()
                .size();
        List<String> subjects = MatcherFixture.subjectsOn(0, partitions, "seen-", SUBJECTS);
        List<String> newSubjects = MatcherFixture.subjectsOn(0, partitions, "new-", SUBJECTS);

        // The one running the task of the subjects' partition is the victim, once the group has settled: stable,
        // every partition assigned (a partition moving between members is first revoked), both members busy.
        await().atMost(WAIT).ignoreExceptions().until(MatcherTakeoverIT::settled);
        String victimName = owners().entrySet().stream()
                .filter(owner -> owner.getValue().contains(partition))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
        ServiceProcess victim = instances.get(victimName);
        ServiceProcess survivor = victim == first ? second : first;

        try (MatcherFixture.Tasks tasks = new MatcherFixture.Tasks(kafka.bootstrapServers());
                MatcherFixture.Events events = new MatcherFixture.Events(kafka.bootstrapServers())) {
            subjects.forEach(events::send);
            events.flush();
            await().atMost(WAIT).until(() -> tasks.poll().forSubjects(subscription, subjects) == SUBJECTS);
            // The victim committed its progress: the survivor will not read these events again, so what it knows of
            // these subjects comes from the memory it takes over, not from matching them a second time.
            long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest()))
                    .partitionResult(partition)
                    .get()
                    .offset();
            await().atMost(WAIT).until(() -> committed(partition) >= end);

            assertThat(owners().get(victimName))
                    .as("the victim still runs the task")
                    .contains(partition);
            long killedAt = System.nanoTime();
            victim.kill();
            subjects.forEach(events::send);
            newSubjects.forEach(events::send);
            events.flush();

            // The new subjects' events come after the second events of the seen subjects on the same partition: once
            // they have matched, the seen subjects would have matched again too.
            await().atMost(WAIT).until(() -> tasks.poll().forSubjects(subscription, newSubjects) == SUBJECTS);
            Duration takeOver = Duration.ofNanos(System.nanoTime() - killedAt);
            log.info(
                    "matcher take-over: new subjects matched {} ms after kill -9 (standby replicas {})",
                    takeOver.toMillis(),
                    standbyReplicas());
            assertThat(takeOver)
                    .as("the partition waited for the killed member's session (6 s) to expire: it was the victim's")
                    .isGreaterThan(Duration.ofSeconds(5));
            assertThat(owners().get(survivor.name()))
                    .as("the survivor took the victim's task over")
                    .contains(partition);
            assertThat(tasks.countsBySubject(subscription))
                    .as("one delivery task per subject: the seen subjects were remembered across the take-over,"
                            + " the new subjects matched")
                    .hasSize(2 * SUBJECTS)
                    .allSatisfy((subject, count) -> assertThat(count).isEqualTo(1));
        }
    }

    private static String[] matcher(String name) {
        return new String[] {
            "--campanello.matcher.state-dir=" + dir.resolve(name),
            "--campanello.matcher.standby-replicas=" + standbyReplicas(),
            "--spring.kafka.streams.client-id=" + name,
            // A killed member's tasks move after the session timeout: the broker's least, 6 s.
            "--spring.kafka.streams.properties.session.timeout.ms=6000"
        };
    }

    private static String standbyReplicas() {
        return System.getProperty("cluster.matcher.standby-replicas", "1");
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
        int partitions = admin.describeTopics(List.of(Topics.EVENTS))
                .allTopicNames()
                .get()
                .get(Topics.EVENTS)
                .partitions()
                .size();
        return group().groupState() == GroupState.STABLE && owners.size() == 2 && assigned == partitions;
    }

    private static ConsumerGroupDescription group() throws Exception {
        return admin.describeConsumerGroups(List.of(MatcherFixture.APPLICATION_ID))
                .all()
                .get()
                .get(MatcherFixture.APPLICATION_ID);
    }

    private static long committed(TopicPartition partition) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(MatcherFixture.APPLICATION_ID)
                .partitionsToOffsetAndMetadata()
                .get()
                .get(partition);
        return offset == null ? -1 : offset.offset();
    }
}
