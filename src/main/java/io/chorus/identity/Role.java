package io.chorus.identity;

import java.util.Arrays;
import java.util.Optional;

/** The realm roles Chorus understands. Any other role in a token is ignored. */
public enum Role {
    EMPLOYEE("employee"),
    ORG_ADMIN("org_admin"),
    COMPLIANCE_OFFICER("compliance_officer"),
    INTEGRATION("integration");

    private final String claimValue;

    Role(String claimValue) {
        this.claimValue = claimValue;
    }

    /** The role's name as Keycloak issues it and as the API reports it. */
    public String claimValue() {
        return claimValue;
    }

    /** The Spring Security authority that guards endpoints and destinations. */
    public String authority() {
        return "ROLE_" + claimValue;
    }

    public static Optional<Role> fromClaim(String value) {
        return Arrays.stream(values()).filter(role -> role.claimValue.equals(value)).findFirst();
    }
}
