package io.campanello.subscription.api;

import io.campanello.urlpolicy.UrlPolicy;
import io.campanello.urlpolicy.Verdict;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registration refuses URLs Campanello must not call: plain http (by default) and internal addresses. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UrlPolicyConfiguration.UrlPolicyProperties.class)
class UrlPolicyConfiguration {

    /**
     * Which endpoints subscriptions may name ({@code campanello.url-policy.*}); the dispatcher applies the same.
     *
     * @param allowHttp accept {@code http} URLs, not only {@code https} (the standalone does, for local receivers)
     * @param allowList CIDRs or host names permitted although they are internal, e.g. {@code 10.20.0.0/16}
     */
    @ConfigurationProperties("campanello.url-policy")
    record UrlPolicyProperties(
            @DefaultValue("false") boolean allowHttp,
            @DefaultValue List<String> allowList) {}

    @Bean
    UrlRule urlRule(UrlPolicyProperties properties) {
        UrlPolicy policy = new UrlPolicy(new UrlPolicy.Settings(properties.allowHttp(), properties.allowList()));
        return url -> {
            Verdict verdict = policy.check(url);
            return verdict instanceof Verdict.Refused refused ? Optional.of(refused.message()) : Optional.empty();
        };
    }
}
