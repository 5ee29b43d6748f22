package io.campanello.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The validator the chart tests rely on finds what a cluster's API server would reject. */
class StrictValidatorTest {

    @Test
    void acceptsAValidDeployment() {
        assertThat(violations("""
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: ok}
                        spec:
                          selector: {matchLabels: {a: b}}
                          template:
                            metadata: {labels: {a: b}}
                            spec:
                              containers:
                                - name: c
                                  image: i
                                  securityContext: {readOnlyRootFilesystem: true}
                        """)).isEmpty();
    }

    @Test
    void reportsAnUnknownFieldDeepInsideAPodTemplate() {
        assertThat(violations("""
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: typo}
                        spec:
                          selector: {matchLabels: {a: b}}
                          template:
                            metadata: {labels: {a: b}}
                            spec:
                              containers:
                                - name: c
                                  image: i
                                  securityContext: {readOnlyRootFileSystem: true}
                        """))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("Deployment/typo")
                .contains("containers[0].securityContext")
                .contains("readOnlyRootFileSystem");
    }

    @Test
    void reportsAValueOfTheWrongType() {
        assertThat(violations("""
                        apiVersion: policy/v1
                        kind: PodDisruptionBudget
                        metadata: {name: pdb}
                        spec:
                          selector: {matchLabels: {a: b}}
                          unhealthyPodEvictionPolicy: {always: true}
                        """)).isNotEmpty();
    }

    @Test
    void reportsAnUnknownKind() {
        assertThat(violations("""
                        apiVersion: example.com/v1
                        kind: Widget
                        metadata: {name: w}
                        """)).containsExactly("Widget/w: unknown kind example.com/v1/Widget");
    }

    private static List<String> violations(String yaml) {
        return StrictValidator.violations(Manifests.parse(yaml));
    }
}
