package io.campanello.standalone;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layout rules that keep the services (and the console) independent: they share only schemas, signature and the
 * support modules; the console knows the services only by their HTTP paths.
 */
class ArchitectureTest {

    private static final List<String> SERVICES = List.of(
            "io.campanello.ingest",
            "io.campanello.subscription",
            "io.campanello.dispatcher",
            "io.campanello.retry",
            "io.campanello.history",
            "io.campanello.console");

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.campanello");

    @Test
    void noServiceUsesAnotherServicesCode() {
        for (String service : SERVICES) {
            String[] others = SERVICES.stream()
                    .filter(other -> !other.equals(service))
                    .map(other -> other + "..")
                    .toArray(String[]::new);
            ArchRule rule = noClasses()
                    .that()
                    .resideInAPackage(service + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(others);
            rule.check(classes);
        }
    }

    @Test
    void sharedModulesDependOnNoService() {
        String[] services = SERVICES.stream().map(s -> s + "..").toArray(String[]::new);
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.campanello.schemas..",
                        "io.campanello.signature..",
                        "io.campanello.kafka..",
                        "io.campanello.api..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(services)
                .check(classes);
    }

    @Test
    void theSignatureModuleNeedsNothingButTheJdk() {
        noClasses()
                .that()
                .resideInAPackage("io.campanello.signature..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("io.campanello.signature..", "java..", "javax..")
                .check(classes);
    }
}
