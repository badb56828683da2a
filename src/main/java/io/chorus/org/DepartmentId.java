package io.chorus.org;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/** A department's id; in JSON, the plain UUID string, like every other id of the API. */
public record DepartmentId(@JsonValue UUID value) {

    public DepartmentId {
        Objects.requireNonNull(value, "value");
    }

    public static DepartmentId of(UUID value) {
        return new DepartmentId(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
