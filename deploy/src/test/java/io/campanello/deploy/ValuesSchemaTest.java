package io.campanello.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** values.schema.json rejects what the templates would otherwise render wrong or ignore. */
class ValuesSchemaTest {

    @Test
    void rejectsAnUnknownTopLevelKey() {
        assertThatThrownBy(() -> HelmChart.render(Map.of("kafkaa.bootstrapServers", "kafka:9092")))
                .hasMessageContaining("kafkaa");
    }

    @Test
    void rejectsAMisspelledServiceSetting() {
        assertThatThrownBy(() -> HelmChart.render(Map.of("services.dispatcher.replica", 3)))
                .hasMessageContaining("replica");
    }

    @Test
    void rejectsAnUnknownSecurityProtocol() {
        assertThatThrownBy(() -> HelmChart.render(Map.of("kafka.securityProtocol", "TLS")))
                .hasMessageContaining("securityProtocol");
    }

    @Test
    void rejectsARetryDelayThatIsNotADuration() {
        assertThatThrownBy(() -> HelmChart.render(Map.of("topics.retry.delays[0]", "5 minutes")))
                .hasMessageContaining("delays");
    }

    @Test
    void rejectsAnUnknownTopicProvisioningMode() {
        assertThatThrownBy(() -> HelmChart.render(Map.of("topics.provisioning", "terraform")))
                .hasMessageContaining("provisioning");
    }

    @Test
    void demandsCredentialsForSasl() {
        assertThatThrownBy(() -> HelmChart.render(Map.of("kafka.securityProtocol", "SASL_SSL")))
                .hasMessageContaining("kafka.sasl.existingSecret is required");
    }

    @Test
    void overridesADefaultWithFalseForOneService() {
        // Sprig's merge would let the default win over false; the chart's own merge must not.
        Manifests manifests =
                HelmChart.render(Map.of("defaults.pdb.enabled", true, "services.retry.pdb.enabled", false));

        assertThat(manifests.ofKind("PodDisruptionBudget"))
                .extracting(Manifests::nameOf)
                .containsExactlyInAnyOrder(
                        "campanello-console",
                        "campanello-dispatcher",
                        "campanello-history",
                        "campanello-ingest",
                        "campanello-subscription");
    }
}
