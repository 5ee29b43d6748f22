package io.campanello.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart under deploy/helm/campanello, rendered and linted with the real Helm library that helm-java bundles.
 *
 * <p>helm-java's {@code template} returns the release manifest without its hooks (unlike the CLI), and the topic
 * Job and the generated Secret are hooks. So rendering works on a copy of the chart in target/ whose hook
 * annotations are renamed to {@value #HOOK_STAND_IN}; {@link Manifests#parse} renames them back, so tests see what
 * {@code helm template} prints.
 */
final class HelmChart {

    static final Path DIRECTORY = Path.of("helm", "campanello");
    static final String RELEASE = "campanello";
    static final String NAMESPACE = "webhooks";
    /** The Kubernetes version rendered for (helm template otherwise assumes 1.20, below the chart's kubeVersion). */
    static final String KUBERNETES_VERSION = "1.31.0";

    static final String HOOK_ANNOTATION = "helm.sh/hook";
    static final String HOOK_STAND_IN = "test.campanello.io/hook";

    private static final Path RENDERED_COPY = Path.of("target", "chart-with-visible-hooks", "campanello");

    private HelmChart() {}

    /** Renders the chart with its default values plus {@code sets} (helm template --set key=value). */
    static Manifests render(Map<String, Object> sets) {
        return render(null, sets);
    }

    /** Renders the chart with a values file (may be null) plus {@code sets}. */
    static Manifests render(Path valuesFile, Map<String, Object> sets) {
        TemplateCommand template = new Helm(copyWithVisibleHooks())
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBERNETES_VERSION);
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile.toAbsolutePath());
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        return Manifests.parse(template.call());
    }

    /** helm lint --strict of the chart itself with its default values. */
    static LintResult lint() {
        return new Helm(DIRECTORY).lint().strict().call();
    }

    /** The value sets under ci/, which CI renders one by one. */
    static List<Path> ciValueSets() {
        try (Stream<Path> files = Files.list(DIRECTORY.resolve("ci"))) {
            return files.filter(file -> file.toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized Path copyWithVisibleHooks() {
        try (Stream<Path> files = Files.walk(DIRECTORY)) {
            for (Path source : files.toList()) {
                Path target = RENDERED_COPY.resolve(DIRECTORY.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (source.getParent().endsWith("templates")) {
                    Files.writeString(target, Files.readString(source).replace(HOOK_ANNOTATION, HOOK_STAND_IN));
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return RENDERED_COPY;
    }
}
