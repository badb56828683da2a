package io.chorus.chat.web;

import io.chorus.chat.Presence;
import io.chorus.identity.UserId;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@PreAuthorize("hasRole('employee')")
class PresenceController {

    private final Presence presence;

    PresenceController(Presence presence) {
        this.presence = presence;
    }

    record PresenceView(UUID userId, boolean online) {
    }

    @GetMapping("/api/v1/presence")
    List<PresenceView> presence(@RequestParam @NotEmpty @Size(max = 200) List<UUID> userIds) {
        var online = presence.online(userIds.stream().map(UserId::of).toList());
        return userIds.stream().distinct().map(id -> new PresenceView(id, online.get(id))).toList();
    }
}
