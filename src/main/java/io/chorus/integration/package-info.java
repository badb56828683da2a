/**
 * Integrations: bots and the scoped API tokens OA/CRM/ERP systems call with, the REST surface
 * made for them, incoming and outgoing signed webhooks, slash commands and interactive cards.
 * Consumes other modules' events and calls their APIs; no other module depends on it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Integration",
        allowedDependencies = {"identity", "org", "chat", "approval", "platform"})
package io.chorus.integration;
