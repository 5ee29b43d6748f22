package io.campanello.api;

/** The tenant an API call acts for, from its API key. Controllers take it as a method parameter. */
public record Tenant(String id) {

    /** The exchange attribute under which the API key filter stores the caller's tenant. */
    static final String ATTRIBUTE = Tenant.class.getName();
}
