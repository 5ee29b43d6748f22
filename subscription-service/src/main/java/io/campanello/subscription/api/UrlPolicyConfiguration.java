package io.campanello.subscription.api;

import io.campanello.urlpolicy.Reason;
import io.campanello.urlpolicy.UrlPolicy;
import io.campanello.urlpolicy.Verdict;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
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
     * The one answer for a host that does not resolve and one that is or resolves to an internal address: two
     * answers would let a tenant map the internal DNS through the API.
     */
    static final String NOT_PUBLIC = "the host is not an allowed public address";

    private static final Set<Reason> ABOUT_THE_HOST = Set.of(Reason.BLOCKED_ADDRESS, Reason.UNRESOLVABLE_HOST);

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

    /** The JDK's resolver unless the context holds another (a test's, or one that goes through a proxy's DNS). */
    @Bean
    UrlRule urlRule(UrlPolicyProperties properties, ObjectProvider<UrlPolicy.HostResolver> resolver) {
        UrlPolicy policy = new UrlPolicy(
                new UrlPolicy.Settings(properties.allowHttp(), properties.allowList()),
                resolver.getIfAvailable(UrlPolicy.HostResolver::system));
        return url -> {
            Verdict verdict = policy.check(url);
            if (!(verdict instanceof Verdict.Refused refused)) {
                return Optional.empty();
            }
            return Optional.of(ABOUT_THE_HOST.contains(refused.reason()) ? NOT_PUBLIC : refused.message());
        };
    }
}
