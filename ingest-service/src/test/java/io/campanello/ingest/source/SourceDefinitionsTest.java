package io.campanello.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.campanello.ingest.IngestProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class SourceDefinitionsTest {

    private static final IngestProperties.Mapping NO_MAPPING =
            new IngestProperties.Mapping(null, null, null, null, null, null);

    private static IngestProperties properties(List<String> topics, Map<String, IngestProperties.Source> sources) {
        return new IngestProperties(
                DataSize.ofKilobytes(256), Duration.ofSeconds(5), topics, "default", sources, 2, true, 1000);
    }

    @Test
    void theShortListStillReadsTodaysJsonForTheSourceTenant() {
        List<SourceDefinition> sources = SourceDefinitions.of(properties(List.of("erp.events"), Map.of()));

        assertThat(sources)
                .containsExactly(new SourceDefinition(
                        "erp.events", "erp.events", SourceFormat.CAMPANELLO_JSON, "default", Map.of()));
    }

    @Test
    void aNamedSourceHasItsOwnTenantFormatAndMappingWithTheFormatsDefaults() {
        var shop = new IngestProperties.Source(
                "shop.orders",
                SourceFormat.JSON,
                "shop",
                new IngestProperties.Mapping(null, "header:event-type", null, "key", null, null));
        var erp = new IngestProperties.Source("erp.ce", SourceFormat.CLOUDEVENTS, " ", NO_MAPPING);

        List<SourceDefinition> sources = SourceDefinitions.of(properties(List.of(), Map.of("shop", shop, "erp", erp)));

        assertThat(sources)
                .containsExactlyInAnyOrder(
                        new SourceDefinition(
                                "shop",
                                "shop.orders",
                                SourceFormat.JSON,
                                "shop",
                                Map.of(
                                        "type", new FieldLocation(FieldLocation.Kind.HEADER, "event-type"),
                                        "subject", new FieldLocation(FieldLocation.Kind.KEY, null),
                                        "data", new FieldLocation(FieldLocation.Kind.VALUE, null))),
                        new SourceDefinition("erp", "erp.ce", SourceFormat.CLOUDEVENTS, "default", Map.of()));
    }

    @Test
    void refusesATopicConfiguredTwice() {
        var again = new IngestProperties.Source("erp.events", SourceFormat.CLOUDEVENTS, null, NO_MAPPING);

        assertThatThrownBy(() -> SourceDefinitions.of(properties(List.of("erp.events"), Map.of("again", again))))
                .hasMessage("campanello.ingest: topic 'erp.events' is configured twice (erp.events, again)");
    }

    @Test
    void refusesAJsonSourceWithoutTypeAndAMappingToNowhere() {
        var noType = new IngestProperties.Source("t", SourceFormat.JSON, null, NO_MAPPING);
        var nowhere = new IngestProperties.Source(
                "t",
                SourceFormat.CAMPANELLO_JSON,
                null,
                new IngestProperties.Mapping(null, null, null, "body", null, null));

        assertThatThrownBy(() -> SourceDefinitions.of(properties(List.of(), Map.of("plain", noType))))
                .hasMessageContaining("campanello.ingest.sources.plain: a source of format json needs mapping.type");
        assertThatThrownBy(() -> SourceDefinitions.of(properties(List.of(), Map.of("odd", nowhere))))
                .hasMessage("campanello.ingest.sources.odd: the mapping of 'subject' is 'body': expected key, value,"
                        + " header:<name>, constant:<text> or a JSON pointer such as /order/id");
    }
}
