package io.campanello.urlpolicy;

import java.net.InetAddress;

/** A block of IPv4 or IPv6 addresses such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a block of one. */
final class Cidr {

    private static final int IPV4_MAPPED_PREFIX = 96;

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** Reads {@code address/prefix}; throws {@link IllegalArgumentException} when it is not one. */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        if (!(Host.parse(addressText) instanceof Host.Literal literal)) {
            throw new IllegalArgumentException("not an IP address: " + addressText);
        }
        byte[] network = literal.address().getAddress();
        int bits = network.length * Byte.SIZE;
        int prefixLength = slash < 0 ? bits : parsePrefix(text.substring(slash + 1));
        if (addressText.contains(":") && network.length == 4) {
            // The JDK turns ::ffff:a.b.c.d into an IPv4 address, so the prefix loses the 96 mapped bits.
            prefixLength -= IPV4_MAPPED_PREFIX;
        }
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length out of range: " + text);
        }
        return new Cidr(network, prefixLength);
    }

    /** Whether the address lies in this block; an IPv4 address is never in an IPv6 block nor the reverse. */
    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / Byte.SIZE;
        for (int i = 0; i < fullBytes; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength % Byte.SIZE;
        if (remainingBits == 0) {
            return true;
        }
        int mask = (0xff << (Byte.SIZE - remainingBits)) & 0xff;
        return (bytes[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    private static int parsePrefix(String text) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not a prefix length: " + text);
        }
        return Integer.parseInt(text);
    }
}
