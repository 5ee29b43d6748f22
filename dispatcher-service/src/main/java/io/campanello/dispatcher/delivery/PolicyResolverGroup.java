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
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Name resolution for outbound calls that applies the URL policy at connect time: a host is resolved once, every
 * address is checked against the blocked classes, and the connection goes only to an address that passed — so a
 * name that resolved to a public address at registration cannot be pointed at an internal one later. Look-ups run
 * on their own threads, never on the event loop: a receiver whose DNS is slow delays only its own connections.
 */
final class PolicyResolverGroup extends AddressResolverGroup<InetSocketAddress> {

    private final UrlPolicy policy;
    private final Executor lookups;

    PolicyResolverGroup(UrlPolicy policy, Executor lookups) {
        this.policy = policy;
        this.lookups = lookups;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new InetSocketAddressResolver(executor, new PolicyNameResolver(executor, policy, lookups));
    }

    /** Resolves with the policy: only allowed addresses come back; a blocked host fails. */
    static final class PolicyNameResolver extends InetNameResolver {

        private final UrlPolicy policy;
        private final Executor lookups;

        PolicyNameResolver(EventExecutor executor, UrlPolicy policy, Executor lookups) {
            super(executor);
            this.policy = policy;
            this.lookups = lookups;
        }

        @Override
        protected void doResolve(String host, Promise<InetAddress> promise) {
            doResolveAll(host, executor().<List<InetAddress>>newPromise().addListener(all -> {
                if (all.isSuccess()) {
                    promise.trySuccess(((List<InetAddress>) all.getNow()).get(0));
                } else {
                    promise.tryFailure(all.cause());
                }
            }));
        }

        @Override
        protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
            try {
                lookups.execute(() -> {
                    try {
                        promise.trySuccess(allowed(host));
                    } catch (UnknownHostException | RuntimeException e) {
                        promise.tryFailure(e);
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                promise.tryFailure(shuttingDown);
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
