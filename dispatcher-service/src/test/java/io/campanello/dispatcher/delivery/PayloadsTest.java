package io.campanello.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.campanello.schemas.v1.EventEnvelope;
import io.campanello.schemas.v1.PayloadFormat;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class PayloadsTest {

    private static final String INJECTING_KEY = "a><injected attr=\"1\"/><b";

    private final ObjectMapper json = JsonMapper.builder().build();
    private final Payloads payloads = new Payloads(json);

    @Test
    void writesAnOrdinaryEventAsPlainElements() throws Exception {
        Element event =
                parse(payloads.of(event("{\"amount\": 7, \"items\": [\"a\", \"b\"]}", Map.of()), PayloadFormat.XML)
                        .bytes());

        assertThat(event.getTagName()).isEqualTo("event");
        assertThat(child(event, "subject").getTextContent()).isEqualTo("order-9");
        Element data = child(event, "data");
        assertThat(child(data, "amount").getTextContent()).isEqualTo("7");
        assertThat(children(data))
                .extracting(Element::getTagName, Element::getTextContent)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("amount", "7"),
                        org.assertj.core.groups.Tuple.tuple("items", "a"),
                        org.assertj.core.groups.Tuple.tuple("items", "b"));
    }

    @Test
    void keysThatAreNoXmlNamesBecomeEntriesAndInjectNothing() throws Exception {
        ObjectNode data = json.createObjectNode();
        data.put(INJECTING_KEY, "x");
        data.put("", "empty");
        data.put("1st", "digit");
        data.put("xmlns", "reserved");
        data.put("a:b", "colon");
        data.put("kept-name_1.0", "kept");
        data.put("caf\u00e9", "non-ascii");
        data.putObject("nested").put("with space", "deep");

        Element event = parse(payloads.of(event(data.toString(), Map.of("ext key", "v")), PayloadFormat.XML)
                .bytes());

        Map<String, String> written = fields(child(event, "data"));
        assertThat(written)
                .containsExactly(
                        Map.entry(INJECTING_KEY, "x"),
                        Map.entry("", "empty"),
                        Map.entry("1st", "digit"),
                        Map.entry("xmlns", "reserved"),
                        Map.entry("a:b", "colon"),
                        Map.entry("kept-name_1.0", "kept"),
                        Map.entry("caf\u00e9", "non-ascii"),
                        Map.entry("nested", "deep"));
        assertThat(child(child(event, "data"), "kept-name_1.0"))
                .as("a valid name is kept")
                .isNotNull();
        assertThat(event.getElementsByTagName("injected").getLength()).isZero();
        assertThat(fields(event)).containsEntry("ext key", "v");
    }

    @Test
    void charactersXmlCannotCarryAreReplaced() throws Exception {
        String hostile = "nul\u0000 bell\u0007 esc\u001b ffff\uffff lone\ud800 <![CDATA[ ]]> &amp; \r\n\ttab";
        String expected = "nul\uFFFD bell\uFFFD esc\uFFFD ffff\uFFFD lone\uFFFD <![CDATA[ ]]> &amp; \r\n\ttab";
        ObjectNode data = json.createObjectNode();
        data.put("text", hostile);
        data.put("key\u0001" + hostile, "value");

        Element event = parse(payloads.of(event(data.toString(), Map.of("attr", hostile)), PayloadFormat.XML)
                .bytes());

        Map<String, String> written = fields(child(event, "data"));
        assertThat(written).containsEntry("text", expected).containsEntry("key\uFFFD" + expected, "value");
        assertThat(fields(event)).containsEntry("attr", expected);
    }

    @Test
    void anyKeysAndValuesGiveWellFormedXmlWithTheirContent() throws Exception {
        Random random = new Random(20261128);
        for (int run = 0; run < 500; run++) {
            Map<String, String> data = new LinkedHashMap<>();
            for (int i = random.nextInt(6); i >= 0; i--) {
                data.put(hostileText(random), hostileText(random));
            }
            byte[] xml = payloads.of(event(json.writeValueAsString(data), Map.of()), PayloadFormat.XML)
                    .bytes();

            Map<String, String> expected = new LinkedHashMap<>();
            data.forEach((key, value) -> expected.put(replaced(key), replaced(value)));
            assertThat(fields(child(parse(xml), "data"))).as("run %d", run).isEqualTo(expected);
        }
    }

    @Test
    void anEventWhoseDataIsNotJsonIsAPermanentFailure() {
        EventEnvelope notJson = event("{not json", Map.of());

        assertThatThrownBy(() -> payloads.of(notJson, PayloadFormat.XML))
                .isInstanceOf(UnbuildablePayloadException.class)
                .satisfies(e -> assertThat(Outcomes.ofError(e))
                        .isEqualTo(new DeliveryOutcome.PermanentFailure(null, "payload_unbuildable")))
                .message()
                .doesNotContain("not json");
        assertThatThrownBy(() -> payloads.of(notJson, PayloadFormat.JSON))
                .isInstanceOf(UnbuildablePayloadException.class);
    }

    @Test
    void theJsonBodyIsTheEventInCloudEventsStructuredFormWithItsDataAsSent() {
        String data = "{\"amount\": 7.10, \"big\": 12345678901234567890, \"items\": [\"a\", {\"b\": null}],"
                + " \"text\": \"caf\u00e9 \\\"quoted\\\" \\u2028\"}";
        EventEnvelope sent = event(data, Map.of("traceparent", "00-ab-cd-01", "id", "not the id"));

        byte[] body = payloads.of(sent, PayloadFormat.JSON).bytes();

        ObjectNode written = (ObjectNode) json.readTree(body);
        assertThat(written.propertyNames())
                .containsExactly(
                        "specversion",
                        "id",
                        "type",
                        "source",
                        "subject",
                        "time",
                        "traceparent",
                        "datacontenttype",
                        "data");
        assertThat(written.get("id").stringValue())
                .as("an extension never replaces the id")
                .isEqualTo(sent.getId());
        assertThat(written.get("time").stringValue()).isEqualTo("2026-11-28T10:00:00Z");
        assertThat(written.get("data")).isEqualTo(json.readTree(data));
        assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8))
                .as("numbers as the sender wrote them")
                .contains("7.10", "12345678901234567890");
    }

    @Test
    void dataWithMoreThanOneValueOrNoneIsAPermanentFailure() {
        assertThatThrownBy(() -> payloads.of(event("{} {}", Map.of()), PayloadFormat.JSON))
                .isInstanceOf(UnbuildablePayloadException.class);
        assertThatThrownBy(() -> payloads.of(event("  ", Map.of()), PayloadFormat.JSON))
                .isInstanceOf(UnbuildablePayloadException.class);
    }

    private static EventEnvelope event(String data, Map<String, String> attributes) {
        return EventEnvelope.newBuilder()
                .setId("evt_" + Long.toHexString(new Random().nextLong()))
                .setTenant("acme")
                .setType("order.created")
                .setSubject("order-9")
                .setTime(Instant.parse("2026-11-28T10:00:00Z"))
                .setReceivedAt(Instant.parse("2026-11-28T10:00:01Z"))
                .setData(data)
                .setAttributes(new LinkedHashMap<>(attributes))
                .build();
    }

    private static final String ALPHABET = "aZ_-.:0 <>&\"'=/;]\t\r\n\u0000\u0001\u001f\u007f\u00e9\u4e2d\ufffe\uffff";

    private static String hostileText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
            int pick = random.nextInt(ALPHABET.length() + 2);
            if (pick == ALPHABET.length()) {
                text.append('\ud83d'); // an unpaired surrogate
            } else if (pick == ALPHABET.length() + 1) {
                text.appendCodePoint(0x1F514); // a bell, as a surrogate pair
            } else {
                text.append(ALPHABET.charAt(pick));
            }
        }
        return text.toString();
    }

    /** What XML 1.0 can carry of a text, by the rule the README documents. */
    private static String replaced(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            boolean carried = c == '\t'
                    || c == '\n'
                    || c == '\r'
                    || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD)
                    || c >= 0x10000;
            out.appendCodePoint(carried ? c : 0xFFFD);
        });
        return out.toString();
    }

    private static Element parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();
    }

    /** The fields of an element, read back by the documented rule: an {@code entry} carries its key. */
    private static Map<String, String> fields(Element parent) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Element child : children(parent)) {
            String key = child.getTagName().equals("entry") && child.hasAttribute("key")
                    ? child.getAttribute("key")
                    : child.getTagName();
            fields.put(key, child.getTextContent());
        }
        return fields;
    }

    private static Element child(Element parent, String name) {
        return children(parent).stream()
                .filter(child -> child.getTagName().equals(name))
                .findFirst()
                .orElse(null);
    }

    private static List<Element> children(Element parent) {
        List<Element> children = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                children.add(element);
            }
        }
        return children;
    }
}
