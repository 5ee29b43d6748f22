package io.campanello.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.campanello.schemas.AvroDeserializer;
import io.campanello.schemas.Topics;
import io.campanello.schemas.v1.DeliveryTask;
import io.campanello.signature.Webhook;
import io.campanello.signature.WebhookVerificationException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What subscription owners do through the REST API, end to end on a real broker and real HTTP. */
class SubscriptionFeaturesIT {

    private static final String ACME_KEY = "cmp_acme";
    private static final String GLOBEX_KEY = "cmp_globex";
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    static StandaloneSettings settings;
    static Standalone standalone;
    static Api acme;
    static Api globex;
    static TestReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        TestStandalones.Started started = TestStandalones.start(TestStandalones.settings(
                dataDir, List.of("--campanello.api.keys=acme=" + ACME_KEY + ",globex=" + GLOBEX_KEY)));
        standalone = started.standalone();
        settings = started.settings();
        acme = new Api(ACME_KEY);
        globex = new Api(GLOBEX_KEY);
        receiver = new TestReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        standalone.close();
    }

    private static String subscriptions() {
        return "http://localhost:" + settings.subscriptionsPort() + "/v1/subscriptions";
    }

    private static JsonNode subscribe(Api api, String json) {
        Api.Response created = api.post(subscriptions(), json);
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        return created.body();
    }

    private static void send(Api api, String eventJson) {
        assertThat(api.post("http://localhost:" + settings.ingestPort() + "/v1/events", eventJson)
                        .status())
                .isEqualTo(202);
    }

    private static String unique(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aFilterDeliversOnlyTheEventsThatPassIt() {
        String type = unique("order");
        subscribe(
                acme,
                "{\"url\": \"" + receiver.url("/filtered") + "\", \"eventTypes\": [\"" + type + "\"],"
                        + " \"filter\": \"data.amount > 100 && data.customer.tier == 'gold'\", \"activate\": true}");

        send(
                acme,
                "{\"type\": \"" + type
                        + "\", \"subject\": \"a\", \"data\": {\"amount\": 50, \"customer\": {\"tier\": \"gold\"}}}");
        send(acme, "{\"type\": \"" + type + "\", \"subject\": \"b\", \"data\": {\"amount\": 150}}");
        send(
                acme,
                "{\"type\": \"" + type
                        + "\", \"subject\": \"c\", \"data\": {\"amount\": 150, \"customer\": {\"tier\": \"gold\"}}}");

        await().atMost(DELIVERY).until(() -> receiver.received("/filtered").size() >= 1);
        send(
                acme,
                "{\"type\": \"" + type
                        + "\", \"subject\": \"d\", \"data\": {\"amount\": 500, \"customer\": {\"tier\": \"gold\"}}}");
        await().atMost(DELIVERY).until(() -> receiver.received("/filtered").size() >= 2);
        assertThat(receiver.received("/filtered")).extracting(r -> subject(r)).containsExactly("c", "d");
    }

    @Test
    void anInvalidFilterIsRefusedWithItsPosition() {
        Api.Response refused = acme.post(
                subscriptions(),
                "{\"url\": \"" + receiver.url("/x") + "\", \"eventTypes\": [\"a\"], \"filter\": \"data.amount >\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("code").stringValue()).isEqualTo("invalid_filter");
        assertThat(refused.body().get("detail").stringValue()).contains("line 1, column");
    }

    @Test
    void aDraftIsNotDeliveredToUntilItIsActivated() {
        String type = unique("invoice");
        String id = subscribe(acme, "{\"url\": \"" + receiver.url("/draft") + "\", \"eventTypes\": [\"" + type + "\"]}")
                .get("id")
                .stringValue();
        JsonNode draft = acme.get(subscriptions() + "/" + id).body();
        assertThat(draft.get("status").stringValue()).isEqualTo("DRAFT");
        assertThat(draft.has("activatedAt")).isFalse();

        send(acme, "{\"type\": \"" + type + "\", \"subject\": \"before\"}");
        JsonNode activated =
                acme.post(subscriptions() + "/" + id + "/activate", "").body();
        assertThat(activated.get("status").stringValue()).isEqualTo("ACTIVE");
        assertThat(activated.get("activatedAt").stringValue()).isNotBlank();
        send(acme, "{\"type\": \"" + type + "\", \"subject\": \"after\"}");

        // However far behind the matcher is, the event accepted while the subscription was a draft is not delivered.
        await().atMost(DELIVERY)
                .until(() -> receiver.received("/draft").stream().anyMatch(r -> "after".equals(subject(r))));
        assertThat(receiver.received("/draft")).extracting(r -> subject(r)).containsExactly("after");
    }

    @Test
    void whilePausedDeliveriesAreParkedAndResumeDeliversThemInOrder() {
        String type = unique("stock");
        String id = subscribe(
                        acme,
                        "{\"url\": \"" + receiver.url("/paused") + "\", \"eventTypes\": [\"" + type
                                + "\"], \"activate\": true}")
                .get("id")
                .stringValue();
        assertThat(acme.post(subscriptions() + "/" + id + "/pause", "")
                        .body()
                        .get("status")
                        .stringValue())
                .isEqualTo("PAUSED");

        for (int i = 1; i <= 5; i++) {
            send(acme, "{\"type\": \"" + type + "\", \"subject\": \"s\", \"data\": {\"n\": " + i + "}}");
        }
        // The five are parked, in order, each with its delivery id: a delivery made late instead of parked is not
        // on webhooks.parked, and this read fails.
        AvroDeserializer avro = new AvroDeserializer();
        List<String> parked = TopicRecords.readUntil(
                        settings.kafkaPort(),
                        Topics.PARKED,
                        read -> read.stream().filter(r -> id.equals(r.key())).count() >= 5)
                .stream()
                .filter(r -> id.equals(r.key()))
                .map(r -> avro.deserialize(Topics.PARKED, r.value(), DeliveryTask.class)
                        .getDeliveryId())
                .toList();
        assertThat(parked).hasSize(5).doesNotHaveDuplicates();
        // A test send is delivered whatever the status, on the same subscription, after the five were parked.
        assertThat(acme.post(subscriptions() + "/" + id + "/test", "")
                        .body()
                        .get("outcome")
                        .stringValue())
                .isEqualTo("DELIVERED");
        assertThat(receiver.received("/paused")).hasSize(1);

        assertThat(acme.post(subscriptions() + "/" + id + "/resume", "")
                        .body()
                        .get("status")
                        .stringValue())
                .isEqualTo("ACTIVE");
        send(acme, "{\"type\": \"" + type + "\", \"subject\": \"s\", \"data\": {\"n\": 6}}");

        await().atMost(DELIVERY).until(() -> receiver.received("/paused").size() >= 7);
        assertThat(receiver.received("/paused")).hasSize(7);
        List<TestReceiver.Received> redriven = receiver.received("/paused").subList(1, 6);
        assertThat(redriven)
                .extracting(r -> r.header("webhook-id"))
                .as("the parked deliveries, with their delivery ids")
                .containsExactlyElementsOf(parked);
        List<Integer> order = receiver.received("/paused").stream()
                .skip(1)
                .map(r -> body(r).get("data").get("n").intValue())
                .toList();
        assertThat(order).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void aTestSendAnswersWithTheOutcomeEvenForADraft() {
        String id = subscribe(acme, "{\"url\": \"" + receiver.url("/test-send") + "\", \"eventTypes\": [\"x\"]}")
                .get("id")
                .stringValue();
        receiver.thenAnswer("/test-send", 418);

        Api.Response failed = acme.post(subscriptions() + "/" + id + "/test", "");
        Api.Response delivered = acme.post(subscriptions() + "/" + id + "/test", "");

        assertThat(failed.status()).isEqualTo(200);
        assertThat(failed.body().get("outcome").stringValue()).isEqualTo("RETRYABLE");
        assertThat(failed.body().get("status").intValue()).isEqualTo(418);
        assertThat(delivered.body().get("outcome").stringValue()).isEqualTo("DELIVERED");
        assertThat(receiver.received("/test-send")).hasSize(2);
        assertThat(body(receiver.received("/test-send").get(1)).get("type").stringValue())
                .isEqualTo("campanello.test");
    }

    @Test
    void duringARotationCallsCarryBothSignaturesAndAfterItOnlyTheNewOne() throws Exception {
        String type = unique("rotate");
        JsonNode created = subscribe(
                acme,
                "{\"url\": \"" + receiver.url("/rotate") + "\", \"eventTypes\": [\"" + type
                        + "\"], \"activate\": true}");
        String id = created.get("id").stringValue();
        String oldSecret = created.get("secret").stringValue();

        JsonNode rotated = acme.post(subscriptions() + "/" + id + "/secret/rotate", "{\"overlap\": \"3s\"}")
                .body();
        String newSecret = rotated.get("secret").stringValue();
        assertThat(newSecret).isNotEqualTo(oldSecret);
        assertThat(rotated.get("previous").get(0).get("secret").stringValue()).isEqualTo(oldSecret);
        send(acme, "{\"type\": \"" + type + "\"}");
        await().atMost(DELIVERY).until(() -> receiver.received("/rotate").size() == 1);
        TestReceiver.Received during = receiver.received("/rotate").get(0);
        assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
        new Webhook(oldSecret).verify(during.body(), during.headers());
        new Webhook(newSecret).verify(during.body(), during.headers());

        await().atMost(DELIVERY)
                .until(() -> acme.get(subscriptions() + "/" + id + "/secret")
                        .body()
                        .get("previous")
                        .isEmpty());
        send(acme, "{\"type\": \"" + type + "\"}");
        await().atMost(DELIVERY).until(() -> receiver.received("/rotate").size() == 2);
        TestReceiver.Received after = receiver.received("/rotate").get(1);
        assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
        new Webhook(newSecret).verify(after.body(), after.headers());
        assertThatThrownBy(() -> new Webhook(oldSecret).verify(after.body(), after.headers()))
                .isInstanceOf(WebhookVerificationException.class);
        assertThat(acme.get(subscriptions() + "/" + id + "/secret")
                        .body()
                        .get("secret")
                        .stringValue())
                .isEqualTo(newSecret);
    }

    @Test
    void noSecretIsReadableOnTheSubscriptionsTopic() {
        String secret = subscribe(
                        acme,
                        "{\"url\": \"" + receiver.url("/raw") + "\", \"eventTypes\": [\"raw\"],"
                                + " \"headers\": {\"Authorization\": \"Bearer receiver-token-0815\"}}")
                .get("secret")
                .stringValue();
        String secretBody = secret.substring("whsec_".length());

        List<byte[]> raw = TopicRecords.readUntil(
                        settings.kafkaPort(),
                        Topics.SUBSCRIPTIONS,
                        read -> read.stream().anyMatch(r -> contains(r.value(), receiver.url("/raw"))))
                .stream()
                .map(ConsumerRecord::value)
                .toList();
        assertThat(raw).noneMatch(bytes -> contains(bytes, secretBody)).noneMatch(bytes -> contains(bytes, secret));
        assertThat(raw).noneMatch(bytes -> contains(bytes, "receiver-token-0815"));
    }

    @Test
    void tenantsNeverSeeOrReceiveEachOthers() {
        String type = unique("shared");
        String acmeId = subscribe(
                        acme,
                        "{\"url\": \"" + receiver.url("/acme") + "\", \"eventTypes\": [\"" + type
                                + "\"], \"activate\": true}")
                .get("id")
                .stringValue();
        String globexId = subscribe(
                        globex,
                        "{\"url\": \"" + receiver.url("/globex") + "\", \"eventTypes\": [\"" + type
                                + "\"], \"activate\": true}")
                .get("id")
                .stringValue();

        assertThat(globex.get(subscriptions() + "/" + acmeId).status()).isEqualTo(404);
        assertThat(acme.get(subscriptions() + "/" + globexId).status()).isEqualTo(404);
        assertThat(acme.get(subscriptions()).body().findValuesAsString("id"))
                .contains(acmeId)
                .doesNotContain(globexId);

        send(acme, "{\"type\": \"" + type + "\", \"subject\": \"from-acme\"}");
        send(globex, "{\"type\": \"" + type + "\", \"subject\": \"from-globex\"}");

        await().atMost(DELIVERY)
                .until(() -> receiver.received("/acme").size() == 1
                        && receiver.received("/globex").size() == 1);
        // Markers behind anything that could leak: acme's marker shares its subject (so its partition of events,
        // matched after "from-acme"); globex's is matched after acme's marker arrived, so it lies behind any task the
        // matcher could have written for globex from acme's event, on globex's partition of deliveries. And the
        // other way round.
        send(acme, "{\"type\": \"" + type + "\", \"subject\": \"from-acme\", \"data\": {\"marker\": 1}}");
        await().atMost(DELIVERY).until(() -> receiver.received("/acme").size() >= 2);
        send(globex, "{\"type\": \"" + type + "\", \"subject\": \"from-globex\", \"data\": {\"marker\": 1}}");
        await().atMost(DELIVERY).until(() -> receiver.received("/globex").size() >= 2);
        send(acme, "{\"type\": \"" + type + "\", \"subject\": \"from-acme\", \"data\": {\"marker\": 2}}");
        await().atMost(DELIVERY).until(() -> receiver.received("/acme").size() >= 3);
        assertThat(receiver.received("/acme"))
                .extracting(r -> subject(r))
                .containsExactly("from-acme", "from-acme", "from-acme");
        assertThat(receiver.received("/globex"))
                .extracting(r -> subject(r))
                .containsExactly("from-globex", "from-globex");
    }

    @Test
    void headersAndPayloadFormatsAreTheSubscriptionsChoice() {
        String type = unique("formats");
        JsonNode created = subscribe(
                acme,
                "{\"url\": \"" + receiver.url("/thin") + "\", \"eventTypes\": [\"" + type + "\"],"
                        + " \"payloadFormat\": \"THIN\", \"headers\": {\"X-Team\": \"logistics\","
                        + " \"Authorization\": \"Bearer receiver-token-4711\"}, \"activate\": true}");
        assertThat(created.get("headers").get("authorization").stringValue())
                .as("shown masked, sent in clear")
                .isEqualTo("••••");
        subscribe(
                acme,
                "{\"url\": \"" + receiver.url("/xml") + "\", \"eventTypes\": [\"" + type + "\"],"
                        + " \"payloadFormat\": \"XML\", \"activate\": true}");

        send(acme, "{\"type\": \"" + type + "\", \"subject\": \"order-9\", \"data\": {\"amount\": 7}}");

        await().atMost(DELIVERY)
                .until(() -> receiver.received("/thin").size() == 1
                        && receiver.received("/xml").size() == 1);
        TestReceiver.Received thin = receiver.received("/thin").get(0);
        assertThat(thin.header("x-team")).isEqualTo("logistics");
        assertThat(thin.header("authorization")).isEqualTo("Bearer receiver-token-4711");
        assertThat(body(thin).has("data")).isFalse();
        assertThat(body(thin).get("subject").stringValue()).isEqualTo("order-9");
        TestReceiver.Received xml = receiver.received("/xml").get(0);
        assertThat(xml.header("content-type")).isEqualTo("application/xml");
        assertThat(xml.bodyText()).startsWith("<event>").contains("<subject>order-9</subject>", "<amount>7</amount>");
    }

    @Test
    void anXmlPayloadIsWellFormedWhateverTheEventHolds() throws Exception {
        String type = unique("hostile");
        subscribe(
                acme,
                "{\"url\": \"" + receiver.url("/hostile-xml") + "\", \"eventTypes\": [\"" + type + "\"],"
                        + " \"payloadFormat\": \"XML\", \"activate\": true}");

        send(
                acme,
                "{\"type\": \"" + type + "\", \"subject\": \"order-<9>\", \"data\": {"
                        + "\"a><injected attr=\\\"1\\\"/><b\": \"x\", \"note\": \"bell\\u0007 nul\\u0000 & <tag>\"}}");

        await().atMost(DELIVERY).until(() -> receiver.received("/hostile-xml").size() == 1);
        TestReceiver.Received xml = receiver.received("/hostile-xml").get(0);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Element event = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.body()))
                .getDocumentElement();
        assertThat(event.getElementsByTagName("injected").getLength()).isZero();
        assertThat(event.getElementsByTagName("subject").item(0).getTextContent())
                .isEqualTo("order-<9>");
        Element entry = (Element) event.getElementsByTagName("entry").item(0);
        assertThat(entry.getAttribute("key")).isEqualTo("a><injected attr=\"1\"/><b");
        assertThat(entry.getTextContent()).isEqualTo("x");
        assertThat(event.getElementsByTagName("note").item(0).getTextContent())
                .isEqualTo("bell\uFFFD nul\uFFFD & <tag>");
    }

    @Test
    void refusesUrlsCampanelloMustNotCallAndHeadersItSets() {
        for (String url : List.of(
                "http://169.254.169.254/latest/meta-data",
                "http://10.1.2.3/hook",
                "http://user:pass@example.com/hook",
                "http://[fd00:ec2::254]/")) {
            Api.Response refused = acme.post(subscriptions(), "{\"url\": \"" + url + "\", \"eventTypes\": [\"a\"]}");
            assertThat(refused.status()).as(url).isEqualTo(400);
            assertThat(refused.body().get("code").stringValue()).as(url).isEqualTo("url_not_allowed");
        }
        Api.Response header = acme.post(
                subscriptions(),
                "{\"url\": \"" + receiver.url("/h") + "\", \"eventTypes\": [\"a\"],"
                        + " \"headers\": {\"webhook-id\": \"forged\"}}");
        assertThat(header.body().get("code").stringValue()).isEqualTo("invalid_subscription");
    }

    @Test
    void patchChangesWhatItNamesAndBumpsTheRevision() {
        JsonNode created = subscribe(acme, "{\"url\": \"" + receiver.url("/v1") + "\", \"eventTypes\": [\"a\"]}");
        String id = created.get("id").stringValue();

        JsonNode patched = acme.patch(
                        subscriptions() + "/" + id,
                        "{\"url\": \"" + receiver.url("/v2") + "\", \"filter\": \"data.ok\", \"timeoutMillis\": 5000}")
                .body();

        assertThat(patched.get("url").stringValue()).isEqualTo(receiver.url("/v2"));
        assertThat(patched.get("filter").stringValue()).isEqualTo("data.ok");
        assertThat(patched.get("eventTypes").get(0).stringValue()).isEqualTo("a");
        assertThat(patched.get("revision").intValue())
                .isEqualTo(created.get("revision").intValue() + 1);
        assertThat(acme.patch(subscriptions() + "/" + id, "{\"timeoutMillis\": 999999}")
                        .status())
                .isEqualTo(400);
    }

    private static JsonNode body(TestReceiver.Received received) {
        return JSON.readTree(received.body());
    }

    private static String subject(TestReceiver.Received received) {
        return body(received).get("subject").stringValue();
    }

    private static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }
}
