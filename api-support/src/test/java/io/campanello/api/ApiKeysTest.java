package io.campanello.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void findsTheTenantOfAPlainOrHashedKey() {
        ApiKeys keys = new ApiKeys(new ApiProperties(
                "plain-default", "default", "acme=" + ApiKeys.hashed("acme-key") + ", globex=globex-key", "ops-key"));

        assertThat(keys.owner("plain-default")).contains(new ApiKeys.Owner("default", false));
        assertThat(keys.owner("acme-key")).contains(new ApiKeys.Owner("acme", false));
        assertThat(keys.owner("globex-key")).contains(new ApiKeys.Owner("globex", false));
        assertThat(keys.owner("ops-key")).contains(new ApiKeys.Owner(null, true));
        assertThat(keys.owner("sha256:" + ApiKeys.hashed("acme-key").substring(7)))
                .as("the hash itself is not a key")
                .isEmpty();
        assertThat(keys.owner("nope")).isEmpty();
    }

    @Test
    void refusesMalformedConfiguration() {
        assertThatThrownBy(() -> new ApiKeys(new ApiProperties(null, "default", "acme", null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiKeys(new ApiProperties(null, "default", "acme=sha256:abc", null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverShowsKeysInItsConfiguration() {
        assertThat(new ApiProperties("k", "default", "a=b", "c").toString()).doesNotContain("k,", "a=b", "=c");
    }
}
