package io.campanello.api;

/**
 * One API key configured with two meanings (the admin key equal to a tenant's key, one key for two tenants): the
 * service refuses to start rather than guess who a caller is. The message names the owners, never the key.
 */
public class ConflictingApiKeysException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    ConflictingApiKeysException(String message) {
        super(message);
    }
}
