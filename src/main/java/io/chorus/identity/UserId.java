package io.chorus.identity;

import java.util.Objects;
import java.util.UUID;

/** A user's stable id inside Chorus, independent of the identity provider's subject. */
public record UserId(UUID value) {

    public UserId {
        Objects.requireNonNull(value, "value");
    }

    public static UserId of(UUID value) {
        return new UserId(value);
    }

    public static UserId parse(String value) {
        return new UserId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
