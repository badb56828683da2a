package io.chorus.integration.internal;

import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.net.URI;
import java.net.URISyntaxException;

/** How a bot shows itself to members, whoever makes it (an org_admin's bot, an incoming webhook's). */
final class BotLooks {

    static final int MAX_NAME = 80;
    static final int MAX_URL = 2000;

    private BotLooks() {
    }

    /** The name members see: 1 to 80 characters without control characters, stripped. */
    static String name(String field, String name) {
        if (name == null || name.isBlank() || name.strip().length() > MAX_NAME
                || name.chars().anyMatch(Character::isISOControl)) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    field + " is 1 to " + MAX_NAME + " characters, without control characters.");
        }
        return name.strip();
    }

    /** An https URL members' clients load the avatar from, or null for none. */
    static String avatarUrl(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (url.length() <= MAX_URL && "https".equals(uri.getScheme()) && uri.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "avatarUrl must be an https URL.");
    }
}
