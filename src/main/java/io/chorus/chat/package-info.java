/**
 * Conversations (direct chats, project groups and department groups that follow the org chart), their members, messages with gapless per-conversation
 * sequence numbers, read state, reactions, and the STOMP edge that delivers all of it live.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Chat", allowedDependencies = {"identity", "org", "platform"})
package io.chorus.chat;
