package io.chorus.audit;

/** Who an audit entry says acted: a person, an integration's bot or service account, or Chorus itself. */
public enum ActorType {
    USER, BOT, SYSTEM
}
