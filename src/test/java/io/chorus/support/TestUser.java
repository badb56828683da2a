package io.chorus.support;

import java.util.UUID;

/** A user created for one test: their Chorus id, username and a valid bearer token. */
public record TestUser(UUID id, String username, String token) {
}
