package io.chorus.integration.web;

import io.chorus.platform.ShownOnce;
import io.chorus.identity.CurrentUser;
import io.chorus.integration.Bots;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Managing bots and their tokens: org_admins create bots and see all of them; a bot's owner
 * sees and manages their own (tokens, name, avatar, switching it off). People only: a bot's
 * token cannot manage bots.
 */
@RestController
@RequestMapping("/api/v1/bots")
@PreAuthorize("hasRole('employee')")
@Validated
class BotController {

    private final Bots bots;
    private final BotBodies bodies;

    BotController(Bots bots, BotBodies bodies) {
        this.bots = bots;
        this.bodies = bodies;
    }

    record NewBotRequest(@NotNull String key, @NotNull String displayName, String avatarUrl, UUID ownerId) {
    }

    /** Null fields stay; {@code avatarUrl: ""} removes the avatar. */
    record BotChangeRequest(String displayName, String avatarUrl, UUID ownerId, Boolean disabled) {
    }

    /** @param expiresInDays null: the configured default (90 days) */
    record NewTokenRequest(String name, @NotNull Set<@NotNull String> scopes,
            @Min(1) @Max(3650) Integer expiresInDays) {
    }

    record BotList(List<BotBodies.BotBody> items) {
    }

    record TokenList(List<BotBodies.TokenBody> items) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    BotBodies.BotBody create(@AuthenticationPrincipal CurrentUser me, @RequestBody NewBotRequest request) {
        return bodies.bot(bots.create(me, new Bots.NewBot(request.key(), request.displayName(), request.avatarUrl(),
                request.ownerId())));
    }

    @GetMapping
    BotList list(@AuthenticationPrincipal CurrentUser me) {
        return new BotList(bots.list(me).stream().map(bodies::bot).toList());
    }

    @GetMapping("/{botId}")
    BotBodies.BotBody get(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID botId) {
        return bodies.bot(bots.get(me, botId));
    }

    @PatchMapping("/{botId}")
    BotBodies.BotBody change(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID botId,
            @RequestBody BotChangeRequest request) {
        return bodies.bot(bots.change(me, botId, new Bots.BotChange(request.displayName(), request.avatarUrl(),
                request.ownerId(), request.disabled())));
    }

    /** The token is in this response and nowhere else, ever. */
    @ShownOnce
    @PostMapping("/{botId}/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    BotBodies.IssuedBody issue(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID botId,
            @RequestBody @Valid NewTokenRequest request) {
        Duration lifetime = request.expiresInDays() == null ? null : Duration.ofDays(request.expiresInDays());
        return bodies.issued(bots.issue(me, botId, new Bots.NewToken(request.name(), request.scopes(), lifetime)));
    }

    @GetMapping("/{botId}/tokens")
    TokenList tokens(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID botId) {
        return new TokenList(bots.tokens(me, botId).stream().map(bodies::token).toList());
    }

    @ShownOnce
    @PostMapping("/{botId}/tokens/{tokenId}/rotate")
    @ResponseStatus(HttpStatus.CREATED)
    BotBodies.IssuedBody rotate(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID botId,
            @PathVariable UUID tokenId) {
        return bodies.issued(bots.rotate(me, botId, tokenId));
    }

    @DeleteMapping("/{botId}/tokens/{tokenId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID botId, @PathVariable UUID tokenId) {
        bots.revoke(me, botId, tokenId);
    }
}
