package io.chorus.identity.web;

import io.chorus.identity.CurrentUser;
import io.chorus.identity.Role;
import java.util.List;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class MeController {

    record MeResponse(UUID id, String username, String displayName, List<String> roles) {
    }

    @GetMapping("/api/v1/me")
    MeResponse me(@AuthenticationPrincipal CurrentUser me) {
        return new MeResponse(me.id().value(), me.username(), me.displayName(),
                me.roles().stream().map(Role::claimValue).sorted().toList());
    }
}
