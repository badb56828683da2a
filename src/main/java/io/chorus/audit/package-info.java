/**
 * The audit trail: an append-only, hash-chained record of every module's changes and of security
 * events, with signed checkpoints, and the compliance officer's queries and exports over it and
 * over all messages. It only consumes events; no business module calls it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Audit",
        allowedDependencies = {"identity", "platform", "chat", "org", "search", "approval", "integration"})
package io.chorus.audit;
