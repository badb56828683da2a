package io.chorus.chat.web;

import io.chorus.chat.ConversationId;
import io.chorus.chat.ConversationView;
import io.chorus.chat.Conversations;
import io.chorus.chat.Conversations.ConversationCursor;
import io.chorus.chat.MemberRole;
import io.chorus.chat.MemberView;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.UserId;
import io.chorus.platform.PageCursor;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/conversations")
@PreAuthorize("hasRole('employee')")
class ConversationController {

    private final Conversations conversations;

    ConversationController(Conversations conversations) {
        this.conversations = conversations;
    }

    record ConversationList(List<ConversationView> items, String nextCursor) {
    }

    record OpenDirectRequest(@NotNull UUID userId) {
    }

    record CreateGroupRequest(@NotNull @Size(min = 1, max = 100) String name,
            @NotNull @Size(max = 500) List<@NotNull UUID> memberIds) {
    }

    record RenameRequest(@NotNull @Size(min = 1, max = 100) String name) {
    }

    record AddMembersRequest(@NotNull @Size(min = 1, max = 500) List<@NotNull UUID> userIds) {
    }

    record ChangeRoleRequest(@NotNull MemberRole role) {
    }

    record MarkReadRequest(@NotNull @Min(0) Long seq) {
    }

    @GetMapping
    ConversationList list(@AuthenticationPrincipal CurrentUser me,
            @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") @Min(1) @Max(100) int limit) {
        var page = conversations.list(me.id(), decode(cursor), limit);
        return new ConversationList(page.items(), encode(page.next()));
    }

    /** The one direct chat with that user: 201 when this call created it, 200 when it existed. */
    @PostMapping("/direct")
    ResponseEntity<ConversationView> openDirect(@AuthenticationPrincipal CurrentUser me,
            @Valid @RequestBody OpenDirectRequest request) {
        var opened = conversations.openDirect(me.id(), UserId.of(request.userId()));
        return ResponseEntity.status(opened.created() ? HttpStatus.CREATED : HttpStatus.OK).body(opened.conversation());
    }

    @PostMapping("/groups")
    @ResponseStatus(HttpStatus.CREATED)
    ConversationView createGroup(@AuthenticationPrincipal CurrentUser me, @Valid @RequestBody CreateGroupRequest request) {
        return conversations.createGroup(me.id(), request.name(), request.memberIds());
    }

    @GetMapping("/{conversationId}")
    ConversationView get(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId) {
        return conversations.get(me.id(), ConversationId.of(conversationId));
    }

    @PatchMapping("/{conversationId}")
    ConversationView rename(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @Valid @RequestBody RenameRequest request) {
        return conversations.rename(me.id(), ConversationId.of(conversationId), request.name());
    }

    @PostMapping("/{conversationId}/archive")
    ConversationView archive(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId) {
        return conversations.archive(me.id(), ConversationId.of(conversationId));
    }

    @GetMapping("/{conversationId}/members")
    List<MemberView> members(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId) {
        return conversations.members(me.id(), ConversationId.of(conversationId));
    }

    @PostMapping("/{conversationId}/members")
    List<MemberView> addMembers(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @Valid @RequestBody AddMembersRequest request) {
        return conversations.addMembers(me.id(), ConversationId.of(conversationId), request.userIds());
    }

    /** Removes a member; with one's own id, leaves the group. */
    @DeleteMapping("/{conversationId}/members/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeMember(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @PathVariable UUID userId) {
        conversations.removeMember(me.id(), ConversationId.of(conversationId), UserId.of(userId));
    }

    @PatchMapping("/{conversationId}/members/{userId}")
    MemberView changeRole(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @PathVariable UUID userId, @Valid @RequestBody ChangeRoleRequest request) {
        return conversations.changeRole(me.id(), ConversationId.of(conversationId), UserId.of(userId), request.role());
    }

    @PostMapping("/{conversationId}/read")
    ConversationView markRead(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID conversationId,
            @Valid @RequestBody MarkReadRequest request) {
        return conversations.markRead(me.id(), ConversationId.of(conversationId), request.seq());
    }

    private static String encode(ConversationCursor cursor) {
        return cursor == null ? null : PageCursor.encode(cursor.lastActivityAt().toString(), cursor.id().toString());
    }

    private static ConversationCursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        List<String> parts = PageCursor.decode(cursor, 2);
        try {
            return new ConversationCursor(Instant.parse(parts.get(0)), UUID.fromString(parts.get(1)));
        } catch (RuntimeException malformed) {
            throw PageCursor.malformed();
        }
    }
}
