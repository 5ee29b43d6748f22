package io.campanello.urlpolicy;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The addresses of one host that may be connected to, resolved once; the caller connects to one of these and never
 * resolves the host again. Empty exactly when the verdict is {@link Verdict.Refused}.
 */
public record AllowedAddresses(List<InetAddress> addresses, Verdict verdict) {

    public AllowedAddresses {
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(verdict, "verdict");
        if (addresses.isEmpty() == verdict.isAllowed()) {
            throw new IllegalArgumentException("addresses must be empty exactly when the verdict is a refusal");
        }
    }

    static AllowedAddresses refused(Verdict.Refused refusal) {
        return new AllowedAddresses(List.of(), refusal);
    }

    /** Whether no address may be connected to. */
    public boolean isEmpty() {
        return addresses.isEmpty();
    }
}
