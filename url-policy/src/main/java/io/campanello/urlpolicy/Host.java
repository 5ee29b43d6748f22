package io.campanello.urlpolicy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The host part of a URL read without any DNS lookup: a host name, an IP literal, or malformed. As in the WHATWG URL
 * standard, a host whose last label is numeric is an IPv4 literal; only the plain dotted-quad spelling is accepted,
 * because resolvers disagree on {@code 2130706433}, {@code 0177.0.0.1} or {@code 0x7f.1} (glibc reads them as
 * 127.0.0.1, the JDK reads {@code 0177.0.0.1} as 177.0.0.1).
 */
sealed interface Host permits Host.Name, Host.Literal, Host.Malformed {

    Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");
    Pattern DOTTED_QUAD = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-f:.]+");
    Pattern NAME_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    int MAX_NAME_LENGTH = 253;

    /** A host name in lower case without a trailing dot, to be resolved. */
    record Name(String name) implements Host {}

    /** An IP address written in the URL. */
    record Literal(InetAddress address) implements Host {}

    /** Not a host Campanello will call; the message says why without repeating the host. */
    record Malformed(String message) implements Host {}

    /** Reads a host as {@link java.net.URI#getHost()} returns it (IPv6 in brackets) or bare. */
    static Host parse(String text) {
        if (text == null || text.isBlank()) {
            return new Malformed("the URL has no host");
        }
        String host = text.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") || host.contains(":")) {
            return parseIpv6(host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        String[] labels = host.split("\\.", -1);
        if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
            return DOTTED_QUAD.matcher(host).matches()
                    ? new Literal(ipv4(labels))
                    : new Malformed("an IPv4 address must be written as four decimal numbers without leading zeros");
        }
        if (host.length() > MAX_NAME_LENGTH) {
            return new Malformed("the host name is too long");
        }
        for (String label : labels) {
            if (!NAME_LABEL.matcher(label).matches()) {
                return new Malformed("the host is not a valid host name");
            }
        }
        return new Name(host);
    }

    private static Host parseIpv6(String text) {
        if (text.contains("%")) {
            return new Malformed("an IPv6 address must not carry a zone id");
        }
        if (!text.contains(":") || !IPV6_CHARACTERS.matcher(text).matches()) {
            return new Malformed("the host is not a valid IPv6 address");
        }
        try {
            // In brackets the JDK parses an IPv6 literal or fails; it never falls back to DNS.
            return new Literal(InetAddress.getByName("[" + text + "]"));
        } catch (UnknownHostException e) {
            return new Malformed("the host is not a valid IPv6 address");
        }
    }

    private static InetAddress ipv4(String[] labels) {
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) Integer.parseInt(labels[i]);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }
}
