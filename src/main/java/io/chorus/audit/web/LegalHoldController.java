package io.chorus.audit.web;

import io.chorus.audit.LegalHolds;
import io.chorus.chat.ChatEvents.HoldSubject;
import io.chorus.chat.LegalHold;
import io.chorus.chat.PlaceLegalHold;
import io.chorus.identity.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Legal holds keep messages of a user or a conversation from retention purges (compliance_officer).
 * Chat keeps the holds; the controller lives here because a scoped officer's holds are limited by
 * the compliance scope, which chat must not depend on.
 */
@RestController
@RequestMapping("/api/v1/legal-holds")
@PreAuthorize("hasRole('compliance_officer')")
class LegalHoldController {

    private final LegalHolds holds;

    LegalHoldController(LegalHolds holds) {
        this.holds = holds;
    }

    record PlaceLegalHoldRequest(@NotNull HoldSubject subjectType, @NotNull UUID subjectId, Instant from, Instant to,
            @NotBlank @Size(max = PlaceLegalHold.MAX_REASON_LENGTH) String reason) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    LegalHold place(@AuthenticationPrincipal CurrentUser me, @Valid @RequestBody PlaceLegalHoldRequest request) {
        return holds.place(me, new PlaceLegalHold(request.subjectType(), request.subjectId(),
                request.from(), request.to(), request.reason()));
    }

    @GetMapping
    List<LegalHold> list(@AuthenticationPrincipal CurrentUser me) {
        return holds.holds(me);
    }

    @PostMapping("/{holdId}/release")
    LegalHold release(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID holdId) {
        return holds.release(me, holdId);
    }
}
