package io.chorus.integration.web;

import io.chorus.platform.ShownOnce;
import io.chorus.identity.CurrentUser;
import io.chorus.integration.SlashCommands;
import io.chorus.integration.web.CommandBodies.CommandBody;
import io.chorus.integration.web.CommandBodies.InteractivityBody;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
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

/**
 * A bot's own slash commands and interactivity endpoint, managed with its token
 * ({@code webhooks:manage}). A PUT creates (201, with the signing secret) or replaces (200, the
 * secret unchanged unless {@code rotateSecret}).
 */
@RestController
@RequestMapping("/api/v1/integration")
@PreAuthorize("hasAuthority('SCOPE_webhooks:manage')")
class CommandController {

    private final SlashCommands commands;

    CommandController(SlashCommands commands) {
        this.commands = commands;
    }

    record CommandRequest(String url, String description, String usageHint, Boolean rotateSecret) {
    }

    record InteractivityRequest(String url, Boolean rotateSecret) {
    }

    record CommandList(List<CommandBody> items) {
    }

    @ShownOnce
    @PutMapping("/commands/{name}")
    ResponseEntity<CommandBody> register(@AuthenticationPrincipal CurrentUser me, @PathVariable String name,
            @RequestBody CommandRequest request) {
        var registered = commands.register(me, name, new SlashCommands.CommandChange(request.url(),
                request.description(), request.usageHint(), Boolean.TRUE.equals(request.rotateSecret())));
        return ResponseEntity.status(registered.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(CommandBody.of(registered.registration(), registered.signingSecret()));
    }

    @GetMapping("/commands")
    CommandList list(@AuthenticationPrincipal CurrentUser me) {
        return new CommandList(commands.commands(me).stream().map(command -> CommandBody.of(command, null)).toList());
    }

    @GetMapping("/commands/{name}")
    CommandBody get(@AuthenticationPrincipal CurrentUser me, @PathVariable String name) {
        return CommandBody.of(commands.command(me, name), null);
    }

    @DeleteMapping("/commands/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unregister(@AuthenticationPrincipal CurrentUser me, @PathVariable String name) {
        commands.unregister(me, name);
    }

    @ShownOnce
    @PutMapping("/interactivity")
    ResponseEntity<InteractivityBody> registerInteractivity(@AuthenticationPrincipal CurrentUser me,
            @RequestBody InteractivityRequest request) {
        var registered = commands.registerInteractivity(me, request.url(), Boolean.TRUE.equals(request.rotateSecret()));
        return ResponseEntity.status(registered.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(InteractivityBody.of(registered.registration(), registered.signingSecret()));
    }

    @GetMapping("/interactivity")
    InteractivityBody interactivity(@AuthenticationPrincipal CurrentUser me) {
        return InteractivityBody.of(commands.interactivity(me), null);
    }

    @DeleteMapping("/interactivity")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unregisterInteractivity(@AuthenticationPrincipal CurrentUser me) {
        commands.unregisterInteractivity(me);
    }
}
