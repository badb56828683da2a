/**
 * The org chart: the department tree, who belongs to which department with which title, heads,
 * managers and the employee directory, kept in step with Keycloak when directory sync is on.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Org", allowedDependencies = {"identity", "platform"})
package io.chorus.org;
