package io.campanello.urlpolicy;

/** Why a URL or host was refused; {@link #code()} is the stable machine code for APIs, metrics and attempt records. */
public enum Reason {

    /** Not an absolute URL, or its host is malformed (including unusual IPv4 spellings such as {@code 0x7f.1}). */
    INVALID_URL("invalid_url"),

    /** The scheme is neither {@code https} nor {@code http}. */
    SCHEME_NOT_ALLOWED("scheme_not_allowed"),

    /** Plain {@code http} while the policy requires {@code https}. */
    HTTP_NOT_ALLOWED("http_not_allowed"),

    /** The URL carries user-info ({@code user:password@}). */
    CREDENTIALS_IN_URL("credentials_in_url"),

    /** The host is, or resolves to, an address in a blocked class that the allow-list does not permit. */
    BLOCKED_ADDRESS("blocked_address"),

    /** The host name has no addresses. */
    UNRESOLVABLE_HOST("unresolvable_host");

    private final String code;

    Reason(String code) {
        this.code = code;
    }

    /** The snake_case code, e.g. {@code blocked_address}. */
    public String code() {
        return code;
    }
}
