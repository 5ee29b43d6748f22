package io.campanello.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The configured API keys, held only as SHA-256 digests: a presented key is hashed and looked up, so neither the
 * keys nor a timing difference between them can leak. One key configured with two meanings (the admin key equal to a
 * tenant's, one key for two tenants) is refused with a {@link ConflictingApiKeysException}.
 */
final class ApiKeys {

    private static final String SHA256_PREFIX = "sha256:";
    private static final HexFormat HEX = HexFormat.of();

    /** Who a key belongs to. */
    record Owner(String tenant, boolean admin) {}

    private final Map<String, Owner> byDigest = new HashMap<>();

    ApiKeys(ApiProperties properties) {
        if (present(properties.key())) {
            add(properties.key(), new Owner(properties.tenant(), false));
        }
        if (present(properties.keys())) {
            for (String pair : properties.keys().split(",")) {
                int equals = pair.indexOf('=');
                if (equals <= 0 || equals == pair.length() - 1) {
                    throw new IllegalArgumentException(
                            "campanello.api.keys holds tenant=key pairs separated by commas; one entry is malformed");
                }
                add(
                        pair.substring(equals + 1).trim(),
                        new Owner(pair.substring(0, equals).trim(), false));
            }
        }
        if (present(properties.adminKey())) {
            add(properties.adminKey(), new Owner(null, true));
        }
    }

    boolean isEmpty() {
        return byDigest.isEmpty();
    }

    Optional<Owner> owner(String presentedKey) {
        return Optional.ofNullable(byDigest.get(HEX.formatHex(sha256(presentedKey))));
    }

    /** The form to put in configuration instead of a plain key. */
    static String hashed(String plainKey) {
        return SHA256_PREFIX + HEX.formatHex(sha256(plainKey));
    }

    private void add(String configured, Owner owner) {
        String digest = configured.startsWith(SHA256_PREFIX)
                ? configured.substring(SHA256_PREFIX.length()).toLowerCase(Locale.ROOT)
                : HEX.formatHex(sha256(configured));
        if (digest.length() != 64) {
            throw new IllegalArgumentException("a sha256: API key hash has 64 hex digits");
        }
        Owner known = byDigest.putIfAbsent(digest, owner);
        if (known != null && !known.equals(owner)) {
            throw new ConflictingApiKeysException(conflict(known, owner));
        }
    }

    /** Names the owners, never the key. */
    private static String conflict(Owner one, Owner other) {
        if (one.admin() || other.admin()) {
            String tenant = one.admin() ? other.tenant() : one.tenant();
            return "the admin API key (CAMPANELLO_ADMIN_API_KEY) is also the API key of tenant '" + tenant + "'";
        }
        return "one API key is configured for tenant '" + one.tenant() + "' and for tenant '" + other.tenant() + "'";
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
