/**
 * Conversations (direct chats and groups), their members, messages with gapless per-conversation
 * sequence numbers, read state, reactions, and the STOMP edge that delivers all of it live.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Chat", allowedDependencies = {"identity", "platform"})
package io.chorus.chat;
