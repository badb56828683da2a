package io.chorus.integration.web;

import io.chorus.platform.ShownOnce;
import io.chorus.chat.ConversationId;
import io.chorus.identity.CurrentUser;
import io.chorus.integration.IncomingWebhooks;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * A group's incoming webhooks, managed by its owner and admins. People only: a bot's token
 * cannot reach these (the scope matrix opens none of them). The URL and signing secret are in
 * the responses of create and rotate and nowhere else.
 */
@RestController
@RequestMapping("/api/v1/conversations/{conversationId}/incoming-webhooks")
@PreAuthorize("hasRole('employee')")
class IncomingWebhookController {

    private final IncomingWebhooks hooks;

    IncomingWebhookController(IncomingWebhooks hooks) {
        this.hooks = hooks;
    }

    record NewHookRequest(@NotNull String name, String avatarUrl) {
    }

    record HookBody(UUID id, UUID conversationId, UUID botId, String name, String avatarUrl, UUID createdBy,
            Instant createdAt, Instant rotatedAt, Instant previousValidUntil) {

        static HookBody of(IncomingWebhooks.Hook hook) {
            return new HookBody(hook.id(), hook.conversationId(), hook.botId(), hook.name(), hook.avatarUrl(),
                    hook.createdBy(), hook.createdAt(), hook.rotatedAt(), hook.previousValidUntil());
        }
    }

    /** @param url the URL with its secret, to post to unsigned; {@code signingSecret} signs posts to the URL without it */
    record IssuedBody(HookBody hook, String url, String signedUrl, String signingSecret) {
    }

    record HookList(List<HookBody> items) {
    }

    @ShownOnce
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    IssuedBody create(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @RequestBody NewHookRequest request) {
        return issued(hooks.create(me, ConversationId.of(conversationId),
                new IncomingWebhooks.NewHook(request.name(), request.avatarUrl())));
    }

    @GetMapping
    HookList list(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId) {
        return new HookList(hooks.list(me, ConversationId.of(conversationId)).stream().map(HookBody::of).toList());
    }

    @ShownOnce
    @PostMapping("/{hookId}/rotate")
    IssuedBody rotate(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @PathVariable UUID hookId) {
        return issued(hooks.rotate(me, ConversationId.of(conversationId), hookId));
    }

    @DeleteMapping("/{hookId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId, @PathVariable UUID hookId) {
        hooks.delete(me, ConversationId.of(conversationId), hookId);
    }

    /** URLs as this request reached us (behind a proxy, as its forwarded headers say when the server trusts them). */
    private static IssuedBody issued(IncomingWebhooks.Issued issued) {
        String signedUrl = ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/api/v1/hooks/{hookId}").buildAndExpand(issued.hook().id()).toUriString();
        return new IssuedBody(HookBody.of(issued.hook()), signedUrl + "/" + issued.pathSecret(), signedUrl,
                issued.signingSecret());
    }
}
