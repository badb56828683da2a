package io.chorus.integration.web;

import io.chorus.chat.ConversationView;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.Role;
import io.chorus.integration.internal.BotGroups;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What only integrations need beyond the API people use: who the token is, and groups found or
 * created by the integration's own key.
 */
@RestController
@RequestMapping("/api/v1/integration")
class IntegrationController {

    private static final String SCOPE = "SCOPE_";

    private final BotGroups groups;

    IntegrationController(BotGroups groups) {
        this.groups = groups;
    }

    /** @param tokenId the token's id when called with a bot's token, else null */
    record Caller(UUID id, String username, String displayName, List<String> roles, List<String> scopes,
            UUID tokenId) {
    }

    record GroupRequest(@NotNull String name, List<@NotNull UUID> memberIds) {
    }

    /** The caller as Chorus sees it: lets an integrator check a token's bot and scopes. */
    @GetMapping("/me")
    @PreAuthorize("hasRole('integration') or authentication.details instanceof T(java.util.UUID)")
    Caller me(@AuthenticationPrincipal CurrentUser me, Authentication authentication) {
        List<String> scopes = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith(SCOPE)).map(authority -> authority.substring(SCOPE.length()))
                .sorted().toList();
        List<String> roles = me.roles().stream().map(Role::claimValue).sorted().toList();
        UUID tokenId = authentication.getDetails() instanceof UUID id ? id : null;
        return new Caller(me.id().value(), me.username(), me.displayName(), roles, scopes, tokenId);
    }

    /** 201 with a new group the first time a key is asked for, 200 with that group ever after. */
    @PutMapping("/groups/{externalKey}")
    @PreAuthorize("hasAuthority('SCOPE_messages:write')")
    ResponseEntity<ConversationView> group(@AuthenticationPrincipal CurrentUser me, @PathVariable String externalKey,
            @RequestBody @Valid GroupRequest request) {
        BotGroups.Found found = groups.findOrCreate(me, externalKey, request.name(), request.memberIds());
        return ResponseEntity.status(found.created() ? HttpStatus.CREATED : HttpStatus.OK).body(found.conversation());
    }
}
