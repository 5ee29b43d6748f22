package io.campanello.dispatcher.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.campanello.urlpolicy.UrlPolicy;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PolicyResolverGroupTest {

    private static Future<List<InetAddress>> resolve(UrlPolicy policy, String host) {
        return new PolicyResolverGroup.PolicyNameResolver(ImmediateEventExecutor.INSTANCE, policy, Runnable::run)
                .resolveAll(host);
    }

    private static UrlPolicy policy(List<String> allowList, Map<String, List<InetAddress>> dns) {
        return new UrlPolicy(new UrlPolicy.Settings(false, allowList), host -> {
            List<InetAddress> addresses = dns.get(host);
            if (addresses == null) {
                throw new java.net.UnknownHostException(host);
            }
            return addresses;
        });
    }

    @Test
    void refusesAtConnectTimeAHostThatNowResolvesToAnInternalAddress() throws Exception {
        UrlPolicy policy =
                policy(List.of(), Map.of("rebound.example", List.of(InetAddress.getByName("169.254.169.254"))));

        Future<List<InetAddress>> resolved = resolve(policy, "rebound.example");

        assertThat(resolved.isSuccess()).isFalse();
        assertThat(resolved.cause()).isInstanceOf(BlockedAddressException.class);
        assertThat(Outcomes.ofError(resolved.cause()))
                .isEqualTo(new DeliveryOutcome.PermanentFailure(null, "blocked_address"));
    }

    @Test
    void connectsOnlyToTheAllowedAddressesOfAMixedAnswer() throws Exception {
        InetAddress open = InetAddress.getByName("93.184.215.14");
        UrlPolicy policy = policy(List.of(), Map.of("mixed.example", List.of(InetAddress.getByName("10.0.0.7"), open)));

        assertThat(resolve(policy, "mixed.example").getNow()).containsExactly(open);
    }

    @Test
    void anUnresolvableHostIsARetryableDnsFailure() {
        Future<List<InetAddress>> resolved = resolve(policy(List.of(), Map.of()), "nowhere.example");

        assertThat(resolved.cause()).isNotInstanceOf(BlockedAddressException.class);
        assertThat(Outcomes.ofError(resolved.cause()))
                .isEqualTo(new DeliveryOutcome.RetryableFailure(null, "dns_failure"));
    }

    @Test
    @Timeout(10)
    void aSlowLookUpDoesNotHoldTheCallingThread() throws Exception {
        CountDownLatch dnsAnswers = new CountDownLatch(1);
        InetAddress open = InetAddress.getByName("93.184.215.14");
        UrlPolicy slowDns = new UrlPolicy(new UrlPolicy.Settings(false, List.of()), host -> {
            try {
                dnsAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.net.UnknownHostException(host);
            }
            return List.of(open);
        });
        ExecutorService lookups = Executors.newSingleThreadExecutor();
        try {
            Future<List<InetAddress>> resolved = new PolicyResolverGroup.PolicyNameResolver(
                            ImmediateEventExecutor.INSTANCE, slowDns, lookups)
                    .resolveAll("slow.example");

            assertThat(resolved.isDone())
                    .as("the event loop is free while DNS answers")
                    .isFalse();
            dnsAnswers.countDown();
            assertThat(resolved.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(resolved.getNow()).containsExactly(open);
        } finally {
            lookups.shutdownNow();
        }
    }

    @Test
    void theAllowListPermitsLoopbackForLocalReceivers() throws Exception {
        UrlPolicy policy =
                policy(List.of("127.0.0.0/8"), Map.of("localhost", List.of(InetAddress.getByName("127.0.0.1"))));

        assertThat(resolve(policy, "localhost").getNow()).containsExactly(InetAddress.getByName("127.0.0.1"));
    }
}
