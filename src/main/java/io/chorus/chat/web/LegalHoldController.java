package io.chorus.chat.web;

import io.chorus.chat.ChatEvents.HoldSubject;
import io.chorus.chat.LegalHold;
import io.chorus.chat.MessageRetention;
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

/** Legal holds keep messages of a user or a conversation from retention purges (compliance_officer). */
@RestController
@RequestMapping("/api/v1/legal-holds")
@PreAuthorize("hasRole('compliance_officer')")
class LegalHoldController {

    private final MessageRetention retention;

    LegalHoldController(MessageRetention retention) {
        this.retention = retention;
    }

    record PlaceLegalHoldRequest(@NotNull HoldSubject subjectType, @NotNull UUID subjectId, Instant from, Instant to,
            @NotBlank @Size(max = PlaceLegalHold.MAX_REASON_LENGTH) String reason) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    LegalHold place(@AuthenticationPrincipal CurrentUser me, @Valid @RequestBody PlaceLegalHoldRequest request) {
        return retention.placeHold(me.id(), new PlaceLegalHold(request.subjectType(), request.subjectId(),
                request.from(), request.to(), request.reason()));
    }

    @GetMapping
    List<LegalHold> holds() {
        return retention.holds();
    }

    @PostMapping("/{holdId}/release")
    LegalHold release(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID holdId) {
        return retention.releaseHold(me.id(), holdId);
    }
}
