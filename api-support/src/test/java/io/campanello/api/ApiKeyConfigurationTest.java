package io.campanello.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/** The documented environment variables reach {@link ApiProperties}, as every service's environment binds them. */
class ApiKeyConfigurationTest {

    @Test
    void theDocumentedAdminKeyVariableBinds() throws Exception {
        ApiKeys keys = new ApiKeys(bound(Map.of(
                "CAMPANELLO_ADMIN_API_KEY", "ops-key",
                "CAMPANELLO_API_KEY", "default-key",
                "CAMPANELLO_API_KEYS", "acme=acme-key")));

        assertThat(keys.owner("ops-key")).contains(new ApiKeys.Owner(null, true));
        assertThat(keys.owner("default-key")).contains(new ApiKeys.Owner("default", false));
        assertThat(keys.owner("acme-key")).contains(new ApiKeys.Owner("acme", false));
    }

    @Test
    void withoutAnyKeyNoneIsConfigured() throws Exception {
        assertThat(new ApiKeys(bound(Map.of())).isEmpty()).isTrue();
    }

    @Test
    void refusesToStartWhenTheAdminKeyIsATenantsKey() throws Exception {
        ApiProperties properties =
                bound(Map.of("CAMPANELLO_ADMIN_API_KEY", "same-secret", "CAMPANELLO_API_KEYS", "acme=same-secret"));

        assertThatThrownBy(() -> new ApiKeys(properties))
                .isInstanceOf(ConflictingApiKeysException.class)
                .hasMessageContaining("admin API key")
                .hasMessageContaining("'acme'")
                .satisfies(e -> {
                    FailureAnalysis analysis = new ConflictingApiKeysFailureAnalyzer().analyze(e);
                    assertThat(analysis.getDescription() + analysis.getAction())
                            .contains("tenant 'acme'")
                            .doesNotContain("same-secret");
                })
                .message()
                .doesNotContain("same-secret");
    }

    @Test
    void refusesToStartWhenTwoTenantsShareAKey() throws Exception {
        ApiProperties plainAndHashed = bound(Map.of(
                "CAMPANELLO_API_KEY",
                "shared-secret",
                "CAMPANELLO_API_KEYS",
                "globex=" + ApiKeys.hashed("shared-secret")));

        assertThatThrownBy(() -> new ApiKeys(plainAndHashed))
                .isInstanceOf(ConflictingApiKeysException.class)
                .hasMessageContaining("tenant 'default' and for tenant 'globex'")
                .message()
                .doesNotContain("shared-secret");
        assertThat(new ApiKeys(bound(Map.of("CAMPANELLO_API_KEYS", "acme=k1,acme=k1,acme=k2"))).owner("k1"))
                .as("the same key twice for one tenant means one thing")
                .contains(new ApiKeys.Owner("acme", false));
    }

    /** What a service binds from these environment variables and the shared defaults, as Spring Boot does. */
    private static ApiProperties bound(Map<String, Object> variables) throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        environment
                .getPropertySources()
                .addLast(new ResourcePropertySource(new ClassPathResource("META-INF/campanello/defaults.properties")));
        return Binder.get(environment).bindOrCreate("campanello.api", ApiProperties.class);
    }
}
