package io.campanello.retry;

import io.campanello.api.Tenant;

/** Which tenants an operator call covers: a tenant key its own; an admin key the one it names, or every tenant. */
public final class OperatorScope {

    private OperatorScope() {}

    /** The tenant to restrict to, or null for every tenant. */
    public static String tenantOf(Tenant caller, String chosenTenant) {
        return caller.admin() && chosenTenant == null ? null : caller.id();
    }
}
