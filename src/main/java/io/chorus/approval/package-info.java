/**
 * Approval workflows: templates with a versioned form and flow, instances routed through the org
 * chart (managers, department heads, roles), decisions with exactly one outcome, and the cards
 * that carry them into chat.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Approval",
        allowedDependencies = {"identity", "org", "chat", "platform"})
package io.chorus.approval;
