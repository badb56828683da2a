/**
 * What every module stands on: errors as problem details with stable codes, the shared
 * mapping configuration, and the embedded PostgreSQL that local mode and tests run on.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Platform", allowedDependencies = {})
package io.chorus.platform;
