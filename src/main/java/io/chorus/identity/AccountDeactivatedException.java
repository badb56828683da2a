package io.chorus.identity;

import org.springframework.security.core.AuthenticationException;

/** A valid token of a user whose account has been deactivated: it grants nothing. */
public class AccountDeactivatedException extends AuthenticationException {

    public AccountDeactivatedException() {
        super("This account has been deactivated.");
    }
}
