/**
 * Who is calling: users from Keycloak (or local-mode) JWTs, their roles and profiles.
 * Only this module knows the token's claim layout; everyone else sees {@link io.chorus.identity.CurrentUser}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Identity", allowedDependencies = "platform")
package io.chorus.identity;
