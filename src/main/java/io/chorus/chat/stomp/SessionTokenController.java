package io.chorus.chat.stomp;

import io.chorus.identity.BearerTokenAuthenticator;
import io.chorus.identity.BearerTokenAuthenticator.Authenticated;
import io.chorus.identity.CurrentUser;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.DatabaseUnavailable;
import io.chorus.platform.ProblemCodes;
import java.security.Principal;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Controller;

/**
 * Keeps a session open past its token's expiry: before {@code exp} the client SENDs a fresh
 * token of the same user to {@code /app/token}, and the session's end moves to the new token's
 * {@code exp} (a RECEIPT confirms it when the frame asked for one). A token that is not valid
 * is refused on the error queue and the session keeps its old end; a token of another user
 * ends the session, which belongs to the user who connected, and so does a token without every
 * role the session has (roles taken away in the identity provider must not live on in it).
 *
 * <p>The token travels in the body, not in a header: Spring logs refused frames with their
 * headers but never their bodies.
 */
@Controller
class SessionTokenController {

    private static final Logger log = LoggerFactory.getLogger(SessionTokenController.class);

    private final BearerTokenAuthenticator authenticator;
    private final SessionExpiry expiry;
    private final StompErrorFrames errors;
    private final StompReceipts receipts;
    private final SessionReplies replies;

    SessionTokenController(BearerTokenAuthenticator authenticator, SessionExpiry expiry, StompErrorFrames errors,
            StompReceipts receipts, SessionReplies replies) {
        this.authenticator = authenticator;
        this.expiry = expiry;
        this.errors = errors;
        this.receipts = receipts;
        this.replies = replies;
    }

    record RefreshTokenFrame(String token) {
    }

    @MessageMapping("/token")
    void refresh(@Payload RefreshTokenFrame frame, Principal principal, SimpMessageHeaderAccessor headers) {
        if (frame.token() == null || frame.token().isBlank()) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "token is required.");
        }
        Authenticated fresh = authenticator.authenticate(frame.token().strip());
        String session = headers.getSessionId();
        if (!CurrentUser.of(fresh.authentication()).id().equals(CurrentUser.of(principal).id())) {
            errors.close(session, new StompError(ProblemCodes.FORBIDDEN, 403,
                    "The token belongs to another user; a session keeps the user it connected as.",
                    headers.getDestination(), null));
            return;
        }
        if (!authorities(fresh.authentication()).containsAll(authorities(principal))) {
            // The session's principal cannot be swapped under its live subscriptions: a session
            // whose user lost a role ends, and the reconnect carries what the user has now.
            errors.close(session, new StompError(ProblemCodes.FORBIDDEN, 403,
                    "The token lacks roles the session was opened with; CONNECT again with it.",
                    headers.getDestination(), null));
            return;
        }
        expiry.endAt(session, headers.getSessionAttributes(), fresh.expiresAt());
        String receipt = headers.getFirstNativeHeader("receipt");
        if (receipt != null) {
            receipts.send(session, receipt);
        }
    }

    private static Set<String> authorities(Principal principal) {
        return principal instanceof Authentication authentication
                ? authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).collect(Collectors.toSet())
                : Set.of();
    }

    @MessageExceptionHandler
    void refused(Throwable failure, Message<?> message) {
        replies.send(SimpMessageHeaderAccessor.getSessionId(message.getHeaders()), StompErrorReplies.ERRORS,
                describe(failure, message));
    }

    private static StompError describe(Throwable failure, Message<?> message) {
        String destination = SimpMessageHeaderAccessor.getDestination(message.getHeaders());
        if (failure instanceof ChorusProblem problem) {
            return new StompError(problem.code(), problem.status().value(), problem.getMessage(), destination, null);
        }
        if (failure instanceof MessageConversionException) {
            return new StompError(ProblemCodes.MALFORMED_REQUEST, 400,
                    "The frame body is not valid JSON for this destination.", destination, null);
        }
        if (failure instanceof AuthenticationException) {
            // The same code CONNECT would have been answered with.
            return StompErrorFrames.describe(failure, StompHeaderAccessor.wrap(message));
        }
        if (DatabaseUnavailable.isCause(failure)) {
            return new StompError(ProblemCodes.DATABASE_UNAVAILABLE, 503, DatabaseUnavailable.DETAIL, destination, null);
        }
        log.error("Unexpected failure refreshing a session's token", failure);
        return new StompError(ProblemCodes.INTERNAL_ERROR, 500,
                "Something went wrong on our side; the token was not taken.", destination, null);
    }
}
