package io.campanello.urlpolicy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The configured exceptions to the blocked classes: address blocks and exact host names. */
final class AllowList {

    private final List<Cidr> blocks;
    private final Set<String> names;

    private AllowList(List<Cidr> blocks, Set<String> names) {
        this.blocks = List.copyOf(blocks);
        this.names = Set.copyOf(names);
    }

    /** Reads entries such as {@code 10.0.0.0/8}, {@code ::1/128}, {@code 127.0.0.1} or {@code localhost}. */
    static AllowList parse(List<String> entries) {
        List<Cidr> blocks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (trimmed.contains("/")) {
                blocks.add(Cidr.parse(trimmed));
                continue;
            }
            Host host = Host.parse(trimmed);
            if (host instanceof Host.Name name) {
                names.add(name.name());
            } else if (host instanceof Host.Literal) {
                blocks.add(Cidr.parse(trimmed));
            } else {
                throw new IllegalArgumentException("allow-list entry is neither a CIDR nor a host name: " + entry);
            }
        }
        return new AllowList(blocks, names);
    }

    /** Whether the host name, as {@link Host.Name} spells it, is listed. */
    boolean permitsName(String name) {
        return names.contains(name);
    }

    /** Whether the address, or the IPv4 address it carries (mapped, 6to4, …), lies in a listed block. */
    boolean permits(InetAddress address) {
        InetAddress embedded = AddressClass.embeddedIpv4(address).orElse(address);
        return blocks.stream().anyMatch(block -> block.contains(address) || block.contains(embedded));
    }
}
