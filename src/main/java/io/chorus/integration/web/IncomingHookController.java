package io.chorus.integration.web;

import io.chorus.integration.IncomingWebhooks;
import io.chorus.integration.IntegrationProblems;
import io.chorus.integration.internal.WebhookSignatures;
import io.chorus.platform.ChorusProblem;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where outside systems post into a group: with the secret in the URL, or signed the Standard
 * Webhooks way. No bearer token: the secret or the signature is the authentication (security
 * lets {@code /api/v1/hooks/**} through). The body is read here, at most one byte past the
 * limit, never whole: a signature covers its exact bytes, and an oversized one is refused
 * without buffering it.
 */
@RestController
@RequestMapping(path = "/api/v1/hooks", consumes = MediaType.APPLICATION_JSON_VALUE)
class IncomingHookController {

    private final IncomingWebhooks hooks;

    IncomingHookController(IncomingWebhooks hooks) {
        this.hooks = hooks;
    }

    record PostedBody(long messageId, UUID conversationId, long seq) {
    }

    @PostMapping("/{hookId}/{pathSecret}")
    ResponseEntity<PostedBody> postWithSecret(@PathVariable UUID hookId, @PathVariable String pathSecret,
            HttpServletRequest request) throws IOException {
        byte[] body = boundedBody(request);
        return answer(hooks.receive(new IncomingWebhooks.Delivery(hookId, pathSecret, null, null, null, body)));
    }

    @PostMapping("/{hookId}")
    ResponseEntity<PostedBody> postSigned(@PathVariable UUID hookId,
            @RequestHeader(name = WebhookSignatures.ID, required = false) String webhookId,
            @RequestHeader(name = WebhookSignatures.TIMESTAMP, required = false) String timestamp,
            @RequestHeader(name = WebhookSignatures.SIGNATURE, required = false) String signature,
            HttpServletRequest request) throws IOException {
        byte[] body = boundedBody(request);
        return answer(hooks.receive(new IncomingWebhooks.Delivery(hookId, null, webhookId, timestamp, signature,
                body)));
    }

    /** The body, or a 413 as soon as it is known to be too large: from its Content-Length, or once limit+1 bytes arrived. */
    private byte[] boundedBody(HttpServletRequest request) throws IOException {
        int limit = hooks.maxBodyBytes();
        if (request.getContentLengthLong() > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                throw tooLarge(limit);
            }
            return body;
        }
    }

    private static ChorusProblem tooLarge(int limit) {
        return new ChorusProblem(HttpStatus.CONTENT_TOO_LARGE, IntegrationProblems.PAYLOAD_TOO_LARGE,
                "The body may have at most " + limit + " bytes.");
    }

    private static ResponseEntity<PostedBody> answer(IncomingWebhooks.Posted posted) {
        return ResponseEntity.status(posted.duplicate() ? HttpStatus.OK : HttpStatus.CREATED)
                .body(new PostedBody(posted.messageId(), posted.conversationId(), posted.seq()));
    }
}
