package io.chorus.approval.web;

import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Enum-valued query parameters, written in lower case in URLs; letter case does not matter. */
final class QueryParameters {

    private QueryParameters() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String name, String value) {
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "Parameter '" + name + "' must be one of "
                    + Arrays.stream(type.getEnumConstants()).map(constant -> constant.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", ")) + ".");
        }
    }
}
