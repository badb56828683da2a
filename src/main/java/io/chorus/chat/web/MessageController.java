package io.chorus.chat.web;

import io.chorus.chat.Card;
import io.chorus.chat.Cards;
import io.chorus.chat.ConversationId;
import io.chorus.chat.MessagePage;
import io.chorus.chat.MessageView;
import io.chorus.chat.Messages;
import io.chorus.chat.PostCard;
import io.chorus.chat.ReadReceipts;
import io.chorus.chat.SendMessage;
import io.chorus.chat.SendResult;
import io.chorus.chat.internal.SendAdmission;
import io.chorus.identity.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/conversations/{conversationId}")
@PreAuthorize("hasRole('employee')")
class MessageController {

    private final Messages messages;
    private final Cards cards;
    private final SendAdmission admission;

    MessageController(Messages messages, Cards cards, SendAdmission admission) {
        this.messages = messages;
        this.cards = cards;
        this.admission = admission;
    }

    record PostCardRequest(String clientMessageId, Card card) {
    }

    record ReplaceCardRequest(Card card) {
    }

    record SendMessageRequest(String clientMessageId, String text, Long replyToMessageId) {
    }

    record EditMessageRequest(@NotNull String text) {
    }

    /**
     * 201 with the new message; 200 with the original when this clientMessageId was sent before.
     * The user's send budget (shared with their STOMP sessions) answers 429, a node past capacity
     * 503; both with Retry-After, and nothing stored.
     */
    @PostMapping("/messages")
    ResponseEntity<MessageView> send(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @RequestBody SendMessageRequest request) {
        admission.charge(me.id());
        SendResult result = admission.admit(() -> messages.send(new SendMessage(ConversationId.of(conversationId),
                me.id(), request.clientMessageId(), request.text(), request.replyToMessageId())));
        return ResponseEntity.status(result.duplicate() ? HttpStatus.OK : HttpStatus.CREATED).body(result.message());
    }

    /**
     * Integrations (a bot's token with {@code messages:write}, or a service account) post cards:
     * 201 with the new message; 200 with the original when this clientMessageId was used before.
     */
    @PostMapping("/cards")
    @PreAuthorize("hasRole('integration') or hasAuthority('SCOPE_messages:write')")
    ResponseEntity<MessageView> postCard(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @RequestBody PostCardRequest request) {
        refuseApiCalls(request.card());
        admission.charge(me.id());
        SendResult result = admission.admit(() -> cards.send(new PostCard(ConversationId.of(conversationId), me.id(),
                request.clientMessageId(), request.card())));
        return ResponseEntity.status(result.duplicate() ? HttpStatus.OK : HttpStatus.CREATED).body(result.message());
    }

    /** Replaces a card the caller posted, in place: members receive {@code message.updated}. */
    @PutMapping("/cards/{messageId}")
    @PreAuthorize("hasRole('integration') or hasAuthority('SCOPE_messages:write')")
    MessageView replaceCard(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @PathVariable long messageId, @RequestBody ReplaceCardRequest request) {
        refuseApiCalls(request.card());
        return cards.update(me.id(), ConversationId.of(conversationId), messageId, request.card());
    }

    /** Cards from the API are an integration's: their actions go to the bot, never as REST calls made by members. */
    private static void refuseApiCalls(Card card) {
        if (card != null && card.callsApi()) {
            throw Card.callsApiRefused();
        }
    }

    @GetMapping("/messages")
    MessagePage history(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @RequestParam(required = false) @Min(0) Long beforeSeq,
            @RequestParam(required = false) @Min(0) Long afterSeq,
            @RequestParam(defaultValue = "50") @Min(1) @Max(100) int limit) {
        return messages.history(me.id(), ConversationId.of(conversationId), beforeSeq, afterSeq, limit);
    }

    @GetMapping("/catch-up")
    MessagePage catchUp(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @RequestParam @Min(0) long sinceSeq,
            @RequestParam(required = false) @Min(0) Long afterSeq,
            @RequestParam(defaultValue = "100") @Min(1) @Max(100) int limit) {
        return messages.catchUp(me.id(), ConversationId.of(conversationId), sinceSeq, afterSeq, limit);
    }

    @PatchMapping("/messages/{messageId}")
    MessageView edit(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @PathVariable long messageId, @Valid @RequestBody EditMessageRequest request) {
        return messages.edit(me.id(), ConversationId.of(conversationId), messageId, request.text());
    }

    @PostMapping("/messages/{messageId}/recall")
    MessageView recall(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @PathVariable long messageId) {
        return messages.recall(me.id(), ConversationId.of(conversationId), messageId);
    }

    @PutMapping("/messages/{messageId}/reactions/{emoji}")
    MessageView react(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @PathVariable long messageId, @PathVariable String emoji) {
        return messages.react(me.id(), ConversationId.of(conversationId), messageId, emoji, true);
    }

    @DeleteMapping("/messages/{messageId}/reactions/{emoji}")
    MessageView unreact(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @PathVariable long messageId, @PathVariable String emoji) {
        return messages.react(me.id(), ConversationId.of(conversationId), messageId, emoji, false);
    }

    @GetMapping("/messages/{messageId}/reads")
    ReadReceipts reads(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @PathVariable long messageId) {
        return messages.readReceipts(me.id(), ConversationId.of(conversationId), messageId);
    }
}
