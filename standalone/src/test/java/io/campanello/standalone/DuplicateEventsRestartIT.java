package io.campanello.standalone;

import static io.campanello.standalone.EventCopies.DELIVERY;
import static io.campanello.standalone.EventCopies.deduplicated;
import static io.campanello.standalone.EventCopies.deleteRecursively;
import static io.campanello.standalone.EventCopies.event;
import static io.campanello.standalone.EventCopies.notes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The matcher's memory of seen event ids lives in Kafka (the store's changelog): a copy sent after a restart that lost
 * the matcher's local state directory is still dropped.
 */
class DuplicateEventsRestartIT {

    @TempDir
    Path dataDir;

    @Test
    void aCopySentAfterARestartThatLostTheMatchersLocalStateIsDropped() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            EventCopies events = new EventCopies(receiver);
            String key = UUID.randomUUID().toString();
            String type;
            StandaloneSettings settings;
            try (TestStandalones.Started first = TestStandalones.start(dataDir, List.of())) {
                settings = first.settings();
                type = events.subscribe(settings, "/restart");
                events.send(settings, event(type, "order-3", "first"), key);
                await().atMost(DELIVERY)
                        .until(() -> receiver.received("/restart").size() == 1);
            }
            deleteRecursively(dataDir.resolve("matcher"));

            try (TestStandalones.Started second = TestStandalones.start(settings)) {
                settings = second.settings();
                double droppedBefore = deduplicated(settings);
                events.send(settings, event(type, "order-3", "after restart"), key);
                events.awaitMarker(settings, type, "order-3", "/restart", droppedBefore + 1);
            }
            assertThat(notes(receiver.received("/restart"))).containsExactly("first", "marker");
        }
    }
}
