package io.chorus.integration.web;

import io.chorus.chat.ConversationId;
import io.chorus.identity.CurrentUser;
import io.chorus.integration.SlashCommands;
import io.chorus.integration.web.CommandBodies.ReplyBody;
import java.util.List;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A member types a slash command: the client sends the line here instead of as a message, and
 * gets the bot's answer (posted for everyone, or for the caller's eyes only) or why there is none.
 */
@RestController
@RequestMapping("/api/v1/conversations/{conversationId}/commands")
@PreAuthorize("hasRole('employee')")
class CommandInvocationController {

    private final SlashCommands commands;

    CommandInvocationController(SlashCommands commands) {
        this.commands = commands;
    }

    record InvokeRequest(String text) {
    }

    record AvailableList(List<SlashCommands.Available> items) {
    }

    @GetMapping
    AvailableList available(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId) {
        return new AvailableList(commands.available(me, ConversationId.of(conversationId)));
    }

    @PostMapping
    ReplyBody invoke(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @RequestBody InvokeRequest request) {
        return ReplyBody.of(commands.invoke(me, ConversationId.of(conversationId), request.text()));
    }
}
