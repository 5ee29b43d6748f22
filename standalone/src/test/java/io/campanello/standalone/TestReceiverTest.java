package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The receiver's scripts answer their own path only, so one test's script never answers another test's request. */
class TestReceiverTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aPathsScriptAnswersOnlyThatPath() throws Exception {
        try (TestReceiver receiver = new TestReceiver().thenAnswer("/scripted", 500, 503)) {
            assertThat(post(receiver, "/other", "a")).isEqualTo(204);
            assertThat(post(receiver, "/scripted", "b")).isEqualTo(500);
            assertThat(post(receiver, "/other", "c")).isEqualTo(204);
            assertThat(post(receiver, "/scripted", "d")).isEqualTo(503);
            assertThat(post(receiver, "/scripted", "e")).isEqualTo(204);
        }
    }

    @Test
    void failFirstAttemptFailsEachWebhookIdOnce() throws Exception {
        try (TestReceiver receiver = new TestReceiver().failFirstAttempt("/flaky", 500)) {
            assertThat(post(receiver, "/flaky", "msg_1")).isEqualTo(500);
            assertThat(post(receiver, "/flaky", "msg_2")).isEqualTo(500);
            assertThat(post(receiver, "/flaky", "msg_1")).isEqualTo(204);
            assertThat(post(receiver, "/flaky", "msg_2")).isEqualTo(204);
            assertThat(post(receiver, "/other", "msg_3")).isEqualTo(204);
        }
    }

    private int post(TestReceiver receiver, String path, String webhookId) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(receiver.url(path)))
                                .header("webhook-id", webhookId)
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
