package io.campanello.urlpolicy;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides which webhook URLs Campanello may call: {@code https} (or {@code http} when allowed), no credentials in the
 * URL, and no host that is or resolves to a loopback, private, link-local, CGNAT, metadata, multicast or otherwise
 * non-public address, unless the allow-list permits it. Used at registration ({@link #check(URI)}) and at connect time
 * ({@link #allowedAddresses(String)}).
 */
public final class UrlPolicy {

    /**
     * What the policy permits beyond https to public addresses.
     *
     * @param allowHttp whether plain {@code http} URLs are accepted (default {@code false})
     * @param allowList CIDRs ({@code 10.0.0.0/8}, {@code ::1/128}), single addresses or exact host names
     *     ({@code localhost}) that are permitted even when they fall in a blocked class (default empty)
     */
    public record Settings(boolean allowHttp, List<String> allowList) {

        public Settings {
            allowList = allowList == null ? List.of() : List.copyOf(allowList);
            AllowList.parse(allowList); // fail at configuration time, naming the bad entry
        }

        /** https only, nothing allow-listed. */
        public static Settings defaults() {
            return new Settings(false, List.of());
        }
    }

    /** Resolves a host name to all of its addresses; the JDK's resolver unless a test or a proxy setup injects one. */
    @FunctionalInterface
    public interface HostResolver {

        /** All addresses of the host; throws {@link UnknownHostException} when it has none. */
        List<InetAddress> resolve(String host) throws UnknownHostException;

        /** {@link InetAddress#getAllByName(String)}. */
        static HostResolver system() {
            return host -> List.of(InetAddress.getAllByName(host));
        }
    }

    private final Settings settings;
    private final AllowList allowList;
    private final HostResolver resolver;

    /** A policy that resolves host names with the JDK's resolver. */
    public UrlPolicy(Settings settings) {
        this(settings, HostResolver.system());
    }

    public UrlPolicy(Settings settings, HostResolver resolver) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.allowList = AllowList.parse(settings.allowList());
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** {@link #check(URI)} for a URL as submitted; one that is not a URI is refused as {@code invalid_url}. */
    public Verdict check(String url) {
        try {
            return check(new URI(Objects.requireNonNull(url, "url")));
        } catch (URISyntaxException e) {
            return Verdict.refused(Reason.INVALID_URL, "the URL is not a valid URI");
        }
    }

    /**
     * The registration check: the URL's form, then its host, which must be an allowed IP literal or resolve only to
     * allowed addresses. A host with any blocked address is refused, so a later connect can use any of them.
     */
    public Verdict check(URI url) {
        Verdict form = checkForm(url);
        if (!form.isAllowed()) {
            return form;
        }
        Resolution resolution = resolve(Host.parse(url.getHost()));
        if (resolution.refusal().isPresent()) {
            return resolution.refusal().get();
        }
        return resolution
                .firstBlocked()
                .<Verdict>map(blocked -> blockedAddress(resolution.host(), blocked))
                .orElseGet(Verdict::allowed);
    }

    /**
     * The connect-time check: resolves the host (a name, or an IP literal with or without brackets) once and keeps only
     * its allowed addresses. Connect to one of them, never to the host name, so DNS cannot answer differently between
     * the check and the connection.
     */
    public AllowedAddresses allowedAddresses(String host) {
        Resolution resolution = resolve(Host.parse(host));
        if (resolution.refusal().isPresent()) {
            return AllowedAddresses.refused(resolution.refusal().get());
        }
        if (resolution.allowed().isEmpty()) {
            InetAddress blocked = resolution.firstBlocked().orElseThrow();
            return AllowedAddresses.refused(blockedAddress(resolution.host(), blocked));
        }
        return new AllowedAddresses(resolution.allowed(), Verdict.allowed());
    }

    /** {@link #allowedAddresses(String)} for a URL's host, after checking its form again (the settings may have changed). */
    public AllowedAddresses allowedAddresses(URI url) {
        Verdict form = checkForm(url);
        if (form instanceof Verdict.Refused refused) {
            return AllowedAddresses.refused(refused);
        }
        return allowedAddresses(url.getHost());
    }

    private Verdict checkForm(URI url) {
        Objects.requireNonNull(url, "url");
        if (url.getScheme() == null) {
            return Verdict.refused(Reason.INVALID_URL, "the URL must be absolute, starting with https://");
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Verdict.refused(Reason.SCHEME_NOT_ALLOWED, "the URL scheme must be https");
        }
        if (scheme.equals("http") && !settings.allowHttp()) {
            return Verdict.refused(Reason.HTTP_NOT_ALLOWED, "the URL scheme must be https; http is not allowed");
        }
        if (url.isOpaque() || url.getRawAuthority() == null) {
            return Verdict.refused(Reason.INVALID_URL, "the URL has no host");
        }
        // URI leaves user-info unparsed when the authority is not a valid server name, hence the '@' test.
        if (url.getRawUserInfo() != null || url.getRawAuthority().contains("@")) {
            return Verdict.refused(Reason.CREDENTIALS_IN_URL, "the URL must not contain credentials (user:password@)");
        }
        if (url.getHost() == null) {
            return Verdict.refused(Reason.INVALID_URL, whyNoHost(url.getRawAuthority()));
        }
        return Verdict.allowed();
    }

    /** URI finds no host in {@code 0x7f.1} or {@code 127.1}; say why when the host parser knows. */
    private static String whyNoHost(String authority) {
        int colon = authority.lastIndexOf(':');
        String host = colon < 0 ? authority : authority.substring(0, colon);
        return Host.parse(host) instanceof Host.Malformed malformed
                ? malformed.message()
                : "the host is not a valid host name";
    }

    private Resolution resolve(Host host) {
        if (host instanceof Host.Malformed malformed) {
            return Resolution.refused(host, Reason.INVALID_URL, malformed.message());
        }
        if (host instanceof Host.Literal literal) {
            return Resolution.of(host, List.of(literal.address()), this::isAllowed);
        }
        String name = ((Host.Name) host).name();
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException e) {
            addresses = List.of();
        }
        if (addresses == null || addresses.isEmpty()) {
            return Resolution.refused(host, Reason.UNRESOLVABLE_HOST, "the host name does not resolve");
        }
        if (allowList.permitsName(name)) {
            return Resolution.of(host, addresses, address -> true);
        }
        return Resolution.of(host, addresses, this::isAllowed);
    }

    private boolean isAllowed(InetAddress address) {
        return AddressClass.of(address).isEmpty() || allowList.permits(address);
    }

    private static Verdict.Refused blockedAddress(Host host, InetAddress blocked) {
        String what = AddressClass.of(blocked).map(AddressClass::description).orElse("a blocked address");
        String subject = host instanceof Host.Literal ? "the host is " : "the host resolves to ";
        return new Verdict.Refused(Reason.BLOCKED_ADDRESS, subject + what + ", which webhooks may not call");
    }

    /** The addresses of one host split into allowed and blocked, or why there are none. */
    private record Resolution(
            Host host,
            List<InetAddress> allowed,
            Optional<InetAddress> firstBlocked,
            Optional<Verdict.Refused> refusal) {

        static Resolution refused(Host host, Reason reason, String message) {
            return new Resolution(host, List.of(), Optional.empty(), Optional.of(new Verdict.Refused(reason, message)));
        }

        static Resolution of(Host host, List<InetAddress> addresses, Predicate<InetAddress> allowed) {
            List<InetAddress> kept = new ArrayList<>();
            InetAddress firstBlocked = null;
            for (InetAddress address : addresses) {
                if (allowed.test(address)) {
                    kept.add(address);
                } else if (firstBlocked == null) {
                    firstBlocked = address;
                }
            }
            return new Resolution(host, List.copyOf(kept), Optional.ofNullable(firstBlocked), Optional.empty());
        }
    }
}
