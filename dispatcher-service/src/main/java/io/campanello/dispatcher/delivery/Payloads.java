package io.campanello.dispatcher.delivery;

import io.campanello.schemas.v1.EventEnvelope;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/** The body of a delivery: the event in CloudEvents' structured JSON form. */
@Component
class Payloads {

    private final ObjectMapper json;

    Payloads(ObjectMapper json) {
        this.json = json;
    }

    byte[] json(EventEnvelope event) {
        ObjectNode body = json.createObjectNode();
        body.put("specversion", "1.0");
        body.put("id", event.getId());
        body.put("type", event.getType());
        body.put("source", event.getSource() != null ? event.getSource() : "campanello");
        if (event.getSubject() != null) {
            body.put("subject", event.getSubject());
        }
        body.put("time", DateTimeFormatter.ISO_INSTANT.format(event.getTime()));
        for (Map.Entry<String, String> attribute : event.getAttributes().entrySet()) {
            body.put(attribute.getKey(), attribute.getValue());
        }
        if (event.getData() != null) {
            body.put(
                    "datacontenttype",
                    event.getDataContentType() != null ? event.getDataContentType() : "application/json");
            body.set("data", json.readTree(event.getData()));
        }
        return json.writeValueAsBytes(body);
    }
}
