package io.campanello.ingest.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import io.campanello.ingest.catalog.EventSchemas.UnusableSchemaException;
import org.junit.jupiter.api.Test;

class EventSchemasTest {

    private final EventSchemas schemas = new EventSchemas();

    @Test
    void compilesASchemaWithLocalReferencesAndChecksDataWithIt() throws UnusableSchemaException {
        Schema schema =
                schemas.compile("{\"$defs\": {\"code\": {\"type\": \"string\", \"pattern\": \"^[A-Z]-\\\\d+$\"}},"
                        + " \"properties\": {\"code\": {\"$ref\": \"#/$defs/code\"}}}");

        assertThat(schema.validate("{\"code\": \"A-12\"}", InputFormat.JSON)).isEmpty();
        assertThat(schema.validate("{\"code\": \"12\"}", InputFormat.JSON)).hasSize(1);
    }

    @Test
    void refusesAReferenceToAnotherDocumentNamingItsPath() {
        assertThatThrownBy(() -> schemas.compile("{\"$ref\": \"https://example.com/nope.json\"}"))
                .isInstanceOf(UnusableSchemaException.class)
                .hasMessageContaining("schema/$ref")
                .hasMessageContaining("never loads");
        assertThatThrownBy(() ->
                        schemas.compile("{\"properties\": {\"a\": {\"$ref\": \"classpath:ingest-service.yml\"}}}"))
                .hasMessageContaining("schema/properties/a/$ref");
    }

    @Test
    void refusesAReferenceThatPointsToNothing() {
        assertThatThrownBy(() -> schemas.compile("{\"properties\": {\"a\": {\"$ref\": \"#/$defs/missing\"}}}"))
                .isInstanceOf(UnusableSchemaException.class)
                .hasMessageContaining("schema/properties/a/$ref")
                .hasMessageContaining("#/$defs/missing");
    }

    @Test
    void refusesADanglingReferenceTheValidatorResolvesItself() {
        // With a nested $id the pointer's base is not the root: the validator resolves it when compiling.
        assertThatThrownBy(() -> schemas.compile("{\"$defs\": {\"x\": {\"$id\": \"https://acme.test/x\","
                        + " \"properties\": {\"a\": {\"$ref\": \"#/$defs/missing\"}}}}, \"$ref\": \"#/$defs/x\"}"))
                .isInstanceOf(UnusableSchemaException.class);
    }

    @Test
    void refusesAReferenceCycleThatReadsNoData() {
        assertThatThrownBy(() -> schemas.compile("{\"allOf\": [{\"$ref\": \"#\"}]}"))
                .isInstanceOf(UnusableSchemaException.class)
                .hasMessageContaining("refers to itself without end");
        assertThatThrownBy(() -> schemas.compile("{\"if\": {\"type\": \"object\"}, \"then\": {\"$ref\": \"#\"}}"))
                .isInstanceOf(UnusableSchemaException.class);
    }

    @Test
    void acceptsARecursiveSchemaThatReadsDeeperDataEachTime() throws UnusableSchemaException {
        Schema tree = schemas.compile("{\"type\": \"object\", \"properties\": {\"child\": {\"$ref\": \"#\"}}}");

        assertThat(tree.validate("{\"child\": {\"child\": {}}}", InputFormat.JSON))
                .isEmpty();
        assertThat(tree.validate("{\"child\": {\"child\": 1}}", InputFormat.JSON))
                .hasSize(1);
    }

    @Test
    void refusesPatternsThatCannotRunInLinearTimeNamingTheirPaths() {
        assertThatThrownBy(() -> schemas.compile("{\"properties\": {\"code\": {\"pattern\": \"[a-z]{1000}\"}},"
                        + " \"patternProperties\": {\"^(a)\\\\1$\": {}}}"))
                .isInstanceOf(UnusableSchemaException.class)
                .hasMessageContaining("schema/properties/code/pattern")
                .hasMessageContaining("schema/patternProperties/^(a)\\1$");
    }

    @Test
    void valuesThatAreDataAreNotTakenForKeywords() throws UnusableSchemaException {
        assertThat(schemas.compile("{\"enum\": [{\"$ref\": \"https://x\"}], \"const\": {\"pattern\": \"(a)\\\\1\"}}"))
                .isNotNull();
    }

    @Test
    void refusesWhatIsNotAJsonSchema() {
        assertThatThrownBy(() -> schemas.compile("{\"type\": 12}"))
                .isInstanceOf(UnusableSchemaException.class)
                .hasMessageContaining("not a valid JSON Schema");
    }
}
