package io.campanello.urlpolicy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The classes of addresses a webhook must not reach unless allow-listed (IANA special-purpose registries, RFC 6890).
 * IPv6 forms that carry an IPv4 address (mapped, compatible, translated, NAT64, 6to4) take the class of that address.
 */
enum AddressClass {
    UNSPECIFIED("an unspecified address"),
    THIS_NETWORK("a \"this network\" address (0.0.0.0/8)"),
    LOOPBACK("a loopback address"),
    PRIVATE("a private address"),
    CLOUD_METADATA("a cloud metadata address"),
    LINK_LOCAL("a link-local address"),
    SHARED("a carrier-grade NAT address (100.64.0.0/10)"),
    MULTICAST("a multicast address"),
    BROADCAST("the broadcast address"),
    RESERVED("a reserved address");

    private static final byte[] AWS_METADATA_V6 = {
        (byte) 0xfd, 0x00, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54
    };

    private final String description;

    AddressClass(String description) {
        this.description = description;
    }

    /** How a refusal message names the class, e.g. "a private address". */
    String description() {
        return description;
    }

    /** The blocked class of an address, or empty when the address is publicly routable. */
    static Optional<AddressClass> of(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 4 ? ofIpv4(bytes) : ofIpv6(bytes);
    }

    /**
     * The IPv4 address carried inside an IPv6 address: IPv4-mapped {@code ::ffff:0:0/96}, IPv4-translated
     * {@code ::ffff:0:0:0/96}, IPv4-compatible {@code ::/96}, NAT64 {@code 64:ff9b::/96} and 6to4 {@code 2002::/16}.
     */
    static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        return embeddedIpv4(address.getAddress()).map(AddressClass::ipv4);
    }

    private static Optional<byte[]> embeddedIpv4(byte[] b) {
        if (b.length != 16) {
            return Optional.empty();
        }
        boolean firstEightZero = allZero(b, 0, 8);
        boolean mapped = firstEightZero && allZero(b, 8, 10) && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        boolean translated = firstEightZero && b[8] == (byte) 0xff && b[9] == (byte) 0xff && allZero(b, 10, 12);
        boolean compatible = firstEightZero && allZero(b, 8, 12);
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && allZero(b, 4, 12);
        if (mapped || translated || compatible || nat64) {
            return Optional.of(Arrays.copyOfRange(b, 12, 16));
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return Optional.of(Arrays.copyOfRange(b, 2, 6));
        }
        return Optional.empty();
    }

    private static Optional<AddressClass> ofIpv4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        int a3 = b[3] & 0xff;
        if (a0 == 0) {
            return Optional.of(allZero(b, 0, 4) ? UNSPECIFIED : THIS_NETWORK);
        }
        if (a0 == 127) {
            return Optional.of(LOOPBACK);
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return Optional.of(PRIVATE);
        }
        if (a0 == 169 && a1 == 254) {
            return Optional.of(a2 == 169 && a3 == 254 ? CLOUD_METADATA : LINK_LOCAL);
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return Optional.of(SHARED);
        }
        if (a0 >= 224 && a0 <= 239) {
            return Optional.of(MULTICAST);
        }
        if (a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255) {
            return Optional.of(BROADCAST);
        }
        // 240.0.0.0/4 (future use) and 192.0.0.0/24 (IETF protocol assignments, home of Oracle's 192.0.0.192).
        if (a0 >= 240 || (a0 == 192 && a1 == 0 && a2 == 0)) {
            return Optional.of(RESERVED);
        }
        return Optional.empty();
    }

    private static Optional<AddressClass> ofIpv6(byte[] b) {
        if (allZero(b, 0, 16)) {
            return Optional.of(UNSPECIFIED);
        }
        if (allZero(b, 0, 15) && b[15] == 1) {
            return Optional.of(LOOPBACK);
        }
        Optional<byte[]> embedded = embeddedIpv4(b);
        if (embedded.isPresent()) {
            return ofIpv4(embedded.get());
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (Arrays.equals(b, AWS_METADATA_V6)) {
            return Optional.of(CLOUD_METADATA);
        }
        if ((b0 & 0xfe) == 0xfc) {
            return Optional.of(PRIVATE);
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return Optional.of(LINK_LOCAL);
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
            return Optional.of(PRIVATE); // fec0::/10, the deprecated site-local range
        }
        if (b0 == 0xff) {
            return Optional.of(MULTICAST);
        }
        boolean localNat64 =
                b0 == 0 && b1 == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && b[4] == 0 && b[5] == 1;
        if (localNat64) {
            return Optional.of(PRIVATE); // 64:ff9b:1::/48, local-use NAT64 (RFC 8215)
        }
        if (b0 == 0x01 && b1 == 0 && allZero(b, 2, 8)) {
            return Optional.of(RESERVED); // 100::/64, discard-only
        }
        return Optional.empty();
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress ipv4(byte[] bytes) {
        try {
            // getByAddress never resolves; it fails only on a wrong length, which embeddedIpv4 rules out.
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an embedded IPv4 address has 4 bytes", e);
        }
    }
}
