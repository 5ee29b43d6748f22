package io.campanello.api;

/**
 * The tenant an API call acts for, from its API key; controllers take it as a method parameter. An operator's
 * admin key acts for the tenant named in the {@code Campanello-Tenant} header ({@code default} without one).
 */
public record Tenant(String id, boolean admin) {

    /** The exchange attribute under which the API key filter stores the caller's tenant. */
    static final String ATTRIBUTE = Tenant.class.getName();

    /** The header with which an admin key chooses the tenant it acts for. */
    public static final String HEADER = "Campanello-Tenant";
}
