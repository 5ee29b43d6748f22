package io.campanello.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.campanello.ingest.ConfluentRegistryStandIn;
import io.campanello.kafka.UnreadableRecordException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchemaRegistryTest {

    private static final String ORDER = "{\"type\": \"record\", \"name\": \"Order\", \"fields\": []}";

    @Test
    void readsTheSchemaOfAnId() {
        String body = "{\"schema\": \"" + ORDER.replace("\"", "\\\"") + "\"}";

        assertThat(SchemaRegistry.schemaOf(7, 200, body).getFullName()).isEqualTo("Order");
    }

    @Test
    void aSchemaTheRegistryDoesNotHaveMakesTheRecordUnreadable() {
        assertThatThrownBy(() ->
                        SchemaRegistry.schemaOf(7, 404, "{\"error_code\": 40403, \"message\": \"Schema 7 not found\"}"))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessage("unknown_schema: the schema registry has no schema with id 7");
    }

    @Test
    void aSchemaThatIsNotAvroMakesTheRecordUnreadable() {
        assertThatThrownBy(() -> SchemaRegistry.schemaOf(
                        7, 200, "{\"schema\": \"syntax = \\\"proto3\\\";\", \"schemaType\": \"PROTOBUF\"}"))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessage("invalid_avro: schema 7 is a PROTOBUF schema, not Avro");
        assertThatThrownBy(() -> SchemaRegistry.schemaOf(7, 200, "{\"schema\": \"{\\\"type\\\": \\\"Missing\\\"}\"}"))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageStartingWith("invalid_avro: schema 7 is not an Avro schema this reader can use");
    }

    @Test
    void anyOtherAnswerMeansTheRecordWaits() {
        assertThatThrownBy(() -> SchemaRegistry.schemaOf(7, 404, "<html>Not Found</html>"))
                .as("a 404 from something that is not the registry, e.g. a wrong path")
                .isInstanceOf(SchemaRegistryUnavailableException.class);
        assertThatThrownBy(() -> SchemaRegistry.schemaOf(7, 401, "{\"error_code\": 401}"))
                .isInstanceOf(SchemaRegistryUnavailableException.class);
        assertThatThrownBy(() -> SchemaRegistry.schemaOf(7, 503, ""))
                .isInstanceOf(SchemaRegistryUnavailableException.class);
        assertThatThrownBy(() -> SchemaRegistry.schemaOf(7, 200, "{\"id\": 7}"))
                .isInstanceOf(SchemaRegistryUnavailableException.class);
    }

    @Test
    void aStreamOfRecordsWithAnUnknownIdAsksTheRegistryOnceButWaitsAgainWhenItIsDown() throws Exception {
        try (var standIn = new ConfluentRegistryStandIn("campanello", "secret")) {
            var registry = new SchemaRegistry(
                    new SchemaRegistryProperties(
                            URI.create(standIn.ccompatUrl()), "campanello", "secret", null, Duration.ofSeconds(5), 10),
                    null);

            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> registry.schema(999))
                        .isInstanceOf(UnreadableRecordException.class)
                        .hasMessage("unknown_schema: the schema registry has no schema with id 999");
            }
            assertThat(standIn.schemaRequests()).containsExactly(999);

            standIn.down(true);
            assertThatThrownBy(() -> registry.schema(998))
                    .as("an outage is not remembered: the record waits and the registry is asked again")
                    .isInstanceOf(SchemaRegistryUnavailableException.class);
            assertThatThrownBy(() -> registry.schema(998)).isInstanceOf(SchemaRegistryUnavailableException.class);
            assertThat(standIn.schemaRequests()).containsExactly(999, 998, 998);
        }
    }
}
