package io.campanello.dispatcher.delivery;

import io.campanello.urlpolicy.AllowedAddresses;
import io.campanello.urlpolicy.Reason;
import io.campanello.urlpolicy.UrlPolicy;
import io.campanello.urlpolicy.Verdict;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Name resolution for outbound calls that applies the URL policy at connect time: a host is resolved once, every
 * address is checked against the blocked classes, and the connection goes only to an address that passed — so a
 * name that resolved to a public address at registration cannot be pointed at an internal one later.
 */
final class PolicyResolverGroup extends AddressResolverGroup<InetSocketAddress> {

    private final UrlPolicy policy;

    PolicyResolverGroup(UrlPolicy policy) {
        this.policy = policy;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new InetSocketAddressResolver(executor, new PolicyNameResolver(executor, policy));
    }

    /** Resolves with the policy: only allowed addresses come back; a blocked host fails. */
    static final class PolicyNameResolver extends InetNameResolver {

        private final UrlPolicy policy;

        PolicyNameResolver(EventExecutor executor, UrlPolicy policy) {
            super(executor);
            this.policy = policy;
        }

        @Override
        protected void doResolve(String host, Promise<InetAddress> promise) {
            try {
                promise.setSuccess(allowed(host).get(0));
            } catch (UnknownHostException e) {
                promise.setFailure(e);
            }
        }

        @Override
        protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
            try {
                promise.setSuccess(allowed(host));
            } catch (UnknownHostException e) {
                promise.setFailure(e);
            }
        }

        private List<InetAddress> allowed(String host) throws UnknownHostException {
            return PolicyResolverGroup.allowed(policy, host);
        }
    }

    /** The addresses of a host the policy allows; a blocked host fails, an unknown one too. */
    static List<InetAddress> allowed(UrlPolicy policy, String host) throws UnknownHostException {
        AllowedAddresses allowed = policy.allowedAddresses(host);
        if (!allowed.isEmpty()) {
            return allowed.addresses();
        }
        Verdict.Refused refused = (Verdict.Refused) allowed.verdict();
        if (refused.reason() == Reason.UNRESOLVABLE_HOST) {
            throw new UnknownHostException(refused.message());
        }
        throw new BlockedAddressException(refused.message());
    }
}
