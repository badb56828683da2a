package io.chorus.platform;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Cursors are opaque to clients: base64url of the last item's sort key parts. A cursor that
 * this API did not hand out is refused as VALIDATION_FAILED rather than misread.
 */
public final class PageCursor {

    private static final String SEPARATOR = "\u001f";

    private PageCursor() {
    }

    public static String encode(String... parts) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(String.join(SEPARATOR, parts).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor's parts, exactly {@code count} of them, or a 400 problem. */
    public static List<String> decode(String cursor, int count) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                    .split(SEPARATOR, -1);
            if (parts.length != count) {
                throw malformed();
            }
            return List.of(parts);
        } catch (IllegalArgumentException notBase64) {
            throw malformed();
        }
    }

    public static ChorusProblem malformed() {
        return ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "cursor is not one this API handed out.");
    }
}
