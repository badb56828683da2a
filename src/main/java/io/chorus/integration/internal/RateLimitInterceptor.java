package io.chorus.integration.internal;

import io.chorus.identity.CurrentUser;
import io.chorus.identity.Role;
import io.chorus.integration.internal.IntegrationLimits.Charge;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Charges every API request of an integration before its handler runs: the token's budget, the
 * token's budget for this endpoint, and for a post into a conversation the bot's budget there.
 * A refused request reaches no handler, so it changes nothing, and gives back what it took.
 *
 * <p>An interceptor rather than a servlet filter: only after handler mapping is the route known
 * ({@code POST /api/v1/conversations/{conversationId}/messages}, with the conversation's id among
 * its variables), so endpoints are told apart exactly as the API documents them, and the 429
 * leaves through the same problem handling as every other refusal. Requests that Spring Security
 * refuses, or that match no handler, never get here: they cost neither a bucket nor a handler.
 * People are not charged at all (their sends have chat's own budget).
 */
@Component
final class RateLimitInterceptor implements HandlerInterceptor {

    /** The posts a bot makes into a conversation, routes normalised by {@link #normalise}. */
    private static final Set<String> POSTS = Set.of("POST /api/v1/conversations/{}/messages",
            "POST /api/v1/conversations/{}/cards");

    private static final Pattern VARIABLE = Pattern.compile("\\{[^}]*}");

    private final IntegrationLimits limits;
    private final IntegrationProperties.RateLimits properties;

    RateLimitInterceptor(IntegrationLimits limits, IntegrationProperties properties) {
        this.limits = limits;
        this.properties = properties.limits();
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        // An async or error dispatch of a request was charged when it first arrived.
        if (!properties.enabled() || request.getDispatcherType() != DispatcherType.REQUEST) {
            return true;
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof CurrentUser caller)) {
            return true;
        }
        String subject;
        if (authentication.getDetails() instanceof UUID tokenId) {
            subject = "token:" + tokenId;
        } else if (caller.has(Role.INTEGRATION)) {
            subject = "account:" + caller.id();
        } else {
            return true;
        }
        String pattern = (String) request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (pattern == null) {
            return true;
        }
        String endpoint = endpoint(request.getMethod(), pattern);

        List<Charge> charges = new ArrayList<>(3);
        charges.add(new Charge(subject, properties.token(), "token",
                "This token has made too many requests; try again after Retry-After seconds."));
        charges.add(new Charge(subject + ":" + endpoint, properties.endpoint(endpoint), "endpoint",
                "This token has called this operation too often; try again after Retry-After seconds."));
        if (POSTS.contains(endpoint)) {
            UUID conversation = conversationId(firstVariable(request, pattern));
            if (conversation != null) {
                // Per bot, not per token: a second token buys no more posts into the same conversation.
                charges.add(new Charge(conversationKey(caller.id().value(), conversation), properties.conversation(),
                        "conversation", "Too many posts into this conversation; try again after Retry-After seconds."));
            }
        }
        limits.charge(charges);
        return true;
    }

    /** The bucket of a bot's posts into a conversation, whichever way they arrive. */
    static String conversationKey(UUID bot, Object conversation) {
        return "conversation:" + bot + ":" + conversation;
    }

    /** {@code POST /api/v1/conversations/{}/messages}: method and route with unnamed variables. */
    static String endpoint(String method, String pattern) {
        return method.toUpperCase(Locale.ROOT) + " " + VARIABLE.matcher(pattern).replaceAll("{}");
    }

    /** An endpoint as configuration writes it ({@code post /api/v1/x/{id}}), as {@link #endpoint} makes it. */
    static String normalise(String configured) {
        String trimmed = configured.trim();
        int space = trimmed.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("An endpoint is a method and a route: " + configured);
        }
        return endpoint(trimmed.substring(0, space), trimmed.substring(space + 1).trim());
    }

    /**
     * The conversation as one spelling: {@code UUID.fromString} also takes upper case and short
     * forms, so keying on the path's text would give each spelling a budget of its own. An id that
     * is no UUID charges nothing here (the endpoint refuses it).
     */
    private static UUID conversationId(String variable) {
        if (variable == null) {
            return null;
        }
        try {
            return UUID.fromString(variable);
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    private static String firstVariable(HttpServletRequest request, String pattern) {
        Matcher variable = VARIABLE.matcher(pattern);
        if (!variable.find()) {
            return null;
        }
        String name = variable.group().substring(1, variable.group().length() - 1);
        @SuppressWarnings("unchecked")
        Map<String, String> values = (Map<String, String>) request.getAttribute(
                HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        return values == null ? null : values.get(name);
    }
}
