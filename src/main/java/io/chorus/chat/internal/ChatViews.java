package io.chorus.chat.internal;

import io.chorus.chat.ConversationView;
import io.chorus.chat.MemberView;
import io.chorus.identity.UserProfile;
import io.chorus.platform.MappingConfig;
import java.util.UUID;
import org.mapstruct.Mapper;
import org.mapstruct.Mapping;

/** Stored rows to the views members see. A view field nobody maps fails the build. */
@Mapper(config = MappingConfig.class)
public interface ChatViews {

    /** One member's view of a conversation: their role, read cursor and unread count. */
    @Mapping(target = "id", source = "row.conversation.id")
    @Mapping(target = "kind", source = "row.conversation.kind")
    @Mapping(target = "name", source = "row.conversation.name")
    @Mapping(target = "archived", source = "row.conversation.archived")
    @Mapping(target = "lastSeq", source = "row.conversation.lastSeq")
    @Mapping(target = "memberCount", source = "row.conversation.memberCount")
    @Mapping(target = "createdAt", source = "row.conversation.createdAt")
    @Mapping(target = "lastActivityAt", source = "row.conversation.lastActivityAt")
    @Mapping(target = "myRole", source = "row.role")
    @Mapping(target = "readSeq", source = "row.readSeq")
    @Mapping(target = "peerId", expression = "java(row.conversation().peerOf(viewer))")
    @Mapping(target = "unreadCount",
            expression = "java(Math.max(0, row.conversation().lastSeq() - row.readSeq()))")
    ConversationView conversation(ConversationStore.ViewerRow row, UUID viewer);

    /** A member with the name the directory knows; a user it no longer knows keeps only the id. */
    @Mapping(target = "userId", source = "row.userId")
    @Mapping(target = "username", source = "profile.username")
    @Mapping(target = "displayName", source = "profile.displayName")
    @Mapping(target = "role", source = "row.role")
    @Mapping(target = "readSeq", source = "row.readSeq")
    @Mapping(target = "joinedAt", source = "row.joinedAt")
    MemberView member(MemberStore.MemberRow row, UserProfile profile);
}
