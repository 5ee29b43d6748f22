package io.campanello.urlpolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlPolicyTest {

    private static final InetAddress PUBLIC_V4 = ip("93.184.215.14");
    private static final InetAddress PUBLIC_V6 = ip("2606:4700::1111");

    /** Host names the tests resolve, so no test depends on real DNS. */
    private static final Map<String, List<InetAddress>> ZONE = Map.of(
            "hooks.example.com", List.of(PUBLIC_V4, PUBLIC_V6),
            "internal.example.com", List.of(ip("10.0.0.5")),
            "metadata.example.com", List.of(ip("169.254.169.254")),
            "rebind.example.com", List.of(PUBLIC_V4, ip("192.168.0.10")),
            "mapped.example.com", List.of(mappedIpv6(127, 0, 0, 1)),
            "v6-private.example.com", List.of(ip("fd12:3456::7")),
            "localhost", List.of(ip("127.0.0.1"), ip("::1")),
            "hooks.internal.example", List.of(ip("10.20.30.40")));

    private final List<String> resolved = new ArrayList<>();
    private final UrlPolicy.HostResolver fakeDns = host -> {
        resolved.add(host);
        List<InetAddress> addresses = ZONE.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses;
    };

    private final UrlPolicy strict = new UrlPolicy(UrlPolicy.Settings.defaults(), fakeDns);

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        // IPv4 literals in blocked classes
        "https://127.0.0.1/hook,                     blocked_address",
        "https://127.255.255.254/,                   blocked_address",
        "https://10.1.2.3/,                          blocked_address",
        "https://172.16.0.1/,                        blocked_address",
        "https://172.31.255.255/,                    blocked_address",
        "https://192.168.1.1:8443/,                  blocked_address",
        "https://169.254.10.20/,                     blocked_address",
        "https://169.254.169.254/latest/meta-data/,  blocked_address",
        "https://100.64.0.1/,                        blocked_address",
        "https://100.127.255.255/,                   blocked_address",
        "https://224.0.0.251/,                       blocked_address",
        "https://0.0.0.0/,                           blocked_address",
        "https://0.1.2.3/,                           blocked_address",
        "https://255.255.255.255/,                   blocked_address",
        "https://240.0.0.1/,                         blocked_address",
        // just outside the blocked ranges
        "https://172.15.255.255/,                    allowed",
        "https://172.32.0.1/,                        allowed",
        "https://100.63.255.255/,                    allowed",
        "https://100.128.0.1/,                       allowed",
        "https://93.184.215.14/,                     allowed",
        // IPv6 literals in blocked classes
        "https://[::1]/,                             blocked_address",
        "https://[::]/,                              blocked_address",
        "https://[fc00::1]/,                         blocked_address",
        "https://[fd12:3456::1]/,                    blocked_address",
        "https://[fe80::1]/,                         blocked_address",
        "https://[fd00:ec2::254]/,                   blocked_address",
        "https://[ff02::1]/,                         blocked_address",
        "https://[fe80::1%25eth0]/,                  invalid_url",
        "https://[2606:4700::1111]/,                 allowed",
        "https://[2a00:1450:4001:80b::200e]:8443/,   allowed",
        // IPv4 inside IPv6: mapped, compatible, NAT64, 6to4
        "https://[::ffff:127.0.0.1]/,                blocked_address",
        "https://[::ffff:7f00:1]/,                   blocked_address",
        "https://[::ffff:169.254.169.254]/,          blocked_address",
        "https://[::127.0.0.1]/,                     blocked_address",
        "https://[64:ff9b::10.0.0.1]/,               blocked_address",
        "https://[64:ff9b::a9fe:a9fe]/,              blocked_address",
        "https://[2002:7f00:1::]/,                   blocked_address",
        "https://[2002:c0a8:101::1]/,                blocked_address",
        "https://[::ffff:93.184.215.14]/,            allowed",
        "https://[2002:5db8:d70e::1]/,               allowed",
        // spellings of 127.0.0.1 that resolvers read differently
        "https://2130706433/,                        invalid_url",
        "https://0177.0.0.1/,                        invalid_url",
        "https://0x7f.1/,                            invalid_url",
        "https://0x7f000001/,                        invalid_url",
        "https://127.1/,                             invalid_url",
        "https://127.0.0.01/,                        invalid_url",
        // host names, resolved by the fake DNS
        "https://hooks.example.com/events,           allowed",
        "HTTPS://Hooks.Example.COM./events,          allowed",
        "https://internal.example.com/,              blocked_address",
        "https://metadata.example.com/,              blocked_address",
        "https://rebind.example.com/,                blocked_address",
        "https://mapped.example.com/,                blocked_address",
        "https://v6-private.example.com/,            blocked_address",
        "https://localhost:8080/,                    blocked_address",
        "https://nowhere.example.com/,               unresolvable_host",
        // form of the URL
        "http://hooks.example.com/,                  http_not_allowed",
        "ftp://hooks.example.com/,                   scheme_not_allowed",
        "file:///etc/passwd,                         scheme_not_allowed",
        "https://user:s3cret@hooks.example.com/,     credentials_in_url",
        "https://token@hooks.example.com/,           credentials_in_url",
        "/relative/path,                             invalid_url",
        "https:///no-host,                           invalid_url",
        "https://under_score.example.com/,           invalid_url",
        "https://hooks.example.com/a b,              invalid_url",
    })
    void decidesEachUrlOfTheTable(String url, String expected) {
        Verdict verdict = strict.check(url);

        assertThat(outcome(verdict)).isEqualTo(expected);
    }

    @Test
    void refusesAtRegistrationAHostWithOnePrivateAddressButConnectsToItsPublicOne() {
        assertThat(outcome(strict.check("https://rebind.example.com/"))).isEqualTo("blocked_address");

        AllowedAddresses atConnect = strict.allowedAddresses("rebind.example.com");

        assertThat(atConnect.verdict().isAllowed()).isTrue();
        assertThat(atConnect.addresses()).containsExactly(PUBLIC_V4);
    }

    @Test
    void refusesAtConnectTimeAHostWhoseEveryAddressIsBlocked() {
        AllowedAddresses atConnect = strict.allowedAddresses("internal.example.com");

        assertThat(atConnect.isEmpty()).isTrue();
        assertThat(outcome(atConnect.verdict())).isEqualTo("blocked_address");
    }

    @Test
    void refusesAtConnectTimeAHostThatNoLongerResolves() {
        AllowedAddresses atConnect = strict.allowedAddresses("nowhere.example.com");

        assertThat(atConnect.isEmpty()).isTrue();
        assertThat(outcome(atConnect.verdict())).isEqualTo("unresolvable_host");
    }

    @Test
    void returnsEveryAddressOfAPublicHostAtConnectTime() {
        assertThat(strict.allowedAddresses("hooks.example.com").addresses()).containsExactly(PUBLIC_V4, PUBLIC_V6);
        assertThat(strict.allowedAddresses("[2606:4700::1111]").addresses()).containsExactly(PUBLIC_V6);
        assertThat(strict.allowedAddresses("93.184.215.14").addresses()).containsExactly(PUBLIC_V4);
    }

    @Test
    void rechecksTheFormOfTheUrlAtConnectTime() {
        AllowedAddresses atConnect = strict.allowedAddresses(URI.create("http://hooks.example.com/"));

        assertThat(atConnect.isEmpty()).isTrue();
        assertThat(outcome(atConnect.verdict())).isEqualTo("http_not_allowed");
    }

    @Test
    void permitsAddressesInAnAllowListedCidrAndNoOthers() {
        UrlPolicy policy = policy(false, "10.0.0.0/8", "::1/128");

        assertThat(policy.check("https://10.1.2.3/").isAllowed()).isTrue();
        assertThat(policy.check("https://internal.example.com/").isAllowed()).isTrue();
        assertThat(policy.check("https://[::1]/").isAllowed()).isTrue();
        assertThat(policy.check("https://[::ffff:10.9.9.9]/").isAllowed()).isTrue();
        assertThat(policy.check("https://11.0.0.1/").isAllowed()).isTrue();
        assertThat(outcome(policy.check("https://192.168.1.1/"))).isEqualTo("blocked_address");
        assertThat(outcome(policy.check("https://[::2]/"))).isEqualTo("blocked_address");
        assertThat(outcome(policy.check("https://127.0.0.1/"))).isEqualTo("blocked_address");
    }

    @Test
    void permitsAnAllowListedHostNameWhateverItResolvesTo() {
        UrlPolicy policy = policy(false, "localhost", "Hooks.Internal.Example.");

        assertThat(policy.check("https://localhost:8080/").isAllowed()).isTrue();
        assertThat(policy.check("https://hooks.internal.example/").isAllowed()).isTrue();
        assertThat(policy.allowedAddresses("localhost").addresses()).containsExactly(ip("127.0.0.1"), ip("::1"));
        assertThat(outcome(policy.check("https://internal.example.com/"))).isEqualTo("blocked_address");
        assertThat(outcome(policy.check("https://127.0.0.1/"))).isEqualTo("blocked_address");
    }

    @Test
    void acceptsHttpOnlyWhenTheSettingsAllowIt() {
        UrlPolicy lenient = policy(true);

        assertThat(lenient.check("http://hooks.example.com/").isAllowed()).isTrue();
        assertThat(outcome(lenient.check("http://127.0.0.1:9000/"))).isEqualTo("blocked_address");
        assertThat(outcome(lenient.check("ws://hooks.example.com/"))).isEqualTo("scheme_not_allowed");
        assertThat(outcome(strict.check("http://hooks.example.com/"))).isEqualTo("http_not_allowed");
    }

    @Test
    void neverRepeatsCredentialsPathOrResolvedAddressesInTheMessage() {
        Verdict credentials = strict.check("https://alice:hunter2@hooks.example.com/x?token=abc");
        Verdict privateHost = strict.check("https://internal.example.com/hook?token=abc");

        assertThat(credentials).isInstanceOf(Verdict.Refused.class);
        assertThat(((Verdict.Refused) credentials).message()).doesNotContain("alice", "hunter2", "token", "abc");
        assertThat(((Verdict.Refused) privateHost).message())
                .contains("private address")
                .doesNotContain("10.0.0.5", "token", "abc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2130706433", "0177.0.0.1", "0x7f.1", "0x7f000001", "127.1", "[::1%eth0]", "a..b", ""})
    void refusesMalformedHostsWithoutAskingTheResolver(String host) {
        AllowedAddresses atConnect = strict.allowedAddresses(host);

        assertThat(outcome(atConnect.verdict())).isEqualTo("invalid_url");
        assertThat(resolved).isEmpty();
    }

    @Test
    void checksIpLiteralsWithoutAskingTheResolver() {
        strict.check("https://10.0.0.1/");
        strict.check("https://[2606:4700::1111]/");

        assertThat(resolved).isEmpty();
    }

    @Test
    void resolvesWithTheJdkByDefault() {
        UrlPolicy policy = new UrlPolicy(UrlPolicy.Settings.defaults());

        assertThat(outcome(policy.check("https://localhost/"))).isEqualTo("blocked_address");
        assertThat(new UrlPolicy(new UrlPolicy.Settings(false, List.of("localhost")))
                        .check("https://localhost/")
                        .isAllowed())
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "::1/129", "10.0.0.0/", "0x0a.0.0.0/8", "not a host", "under_score"})
    void rejectsAnInvalidAllowListEntryWhenTheSettingsAreBuilt(String entry) {
        assertThatThrownBy(() -> new UrlPolicy.Settings(false, List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsReasonCodesStable() {
        assertThat(Arrays.stream(Reason.values()).map(Reason::code))
                .containsExactly(
                        "invalid_url",
                        "scheme_not_allowed",
                        "http_not_allowed",
                        "credentials_in_url",
                        "blocked_address",
                        "unresolvable_host");
    }

    private UrlPolicy policy(boolean allowHttp, String... allowList) {
        return new UrlPolicy(new UrlPolicy.Settings(allowHttp, List.of(allowList)), fakeDns);
    }

    private static String outcome(Verdict verdict) {
        return verdict instanceof Verdict.Refused refused ? refused.reason().code() : "allowed";
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** An IPv4-mapped address kept as IPv6, as a resolver may return it ({@code InetAddress} would unwrap it). */
    private static InetAddress mappedIpv6(int a, int b, int c, int d) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
