package io.chorus.chat.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.chorus.chat.ConversationId;
import io.chorus.chat.MessageRetention;
import io.chorus.chat.MessageRetention.ConversationRetention;
import io.chorus.chat.MessageRetention.GlobalRetention;
import io.chorus.identity.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** How long message content is kept: the global period and per-conversation overrides (org_admin). */
@RestController
@RequestMapping("/api/v1/retention")
@PreAuthorize("hasRole('org_admin')")
class RetentionController {

    private final MessageRetention retention;

    RetentionController(MessageRetention retention) {
        this.retention = retention;
    }

    /** {@code messageRetentionDays} null keeps messages forever; left out, it is refused, never taken for null. */
    record GlobalRetentionRequest(@JsonProperty(value = "messageRetentionDays", required = true)
            @Min(MessageRetention.MIN_DAYS) @Max(MessageRetention.MAX_DAYS) Integer messageRetentionDays) {
    }

    record ConversationRetentionRequest(@NotNull @Min(MessageRetention.MIN_DAYS) @Max(MessageRetention.MAX_DAYS)
            Integer messageRetentionDays) {
    }

    @GetMapping
    GlobalRetention global() {
        return retention.global();
    }

    @PutMapping
    GlobalRetention setGlobal(@AuthenticationPrincipal CurrentUser me, @Valid @RequestBody GlobalRetentionRequest request) {
        return retention.setGlobal(me.id(), request.messageRetentionDays());
    }

    @GetMapping("/conversations")
    List<ConversationRetention> overrides() {
        return retention.overrides();
    }

    @PutMapping("/conversations/{conversationId}")
    ConversationRetention setOverride(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @Valid @RequestBody ConversationRetentionRequest request) {
        return retention.setOverride(me.id(), ConversationId.of(conversationId), request.messageRetentionDays());
    }

    @DeleteMapping("/conversations/{conversationId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void clearOverride(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId) {
        retention.clearOverride(me.id(), ConversationId.of(conversationId));
    }
}
