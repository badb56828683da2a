# syntax=docker/dockerfile:1
# The Chorus image, built from source (no jar needed beforehand), from the repository root:
#   docker build -t chorus:0.1.0 .        (podman build and buildah bud read the same file)
# It runs production mode only: it needs CHORUS_DB_URL / CHORUS_DB_USER / CHORUS_DB_PASSWORD and
# CHORUS_ISSUER_URI (docs/operations.md, "The image"), carries no embedded PostgreSQL and never issues dev tokens.

# --- build: the Maven wrapper on a JDK; the local Maven repository (and the wrapper's Maven) in a cache
# mount, so a rebuild after a code change downloads nothing. Tests are not built here: CI runs them.
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY db/ db/
COPY src/main/ src/main/
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -Dmaven.test.skip=true package \
 && java -Djarmode=tools -jar target/chorus-*.jar extract --layers --launcher --destination /layers

# --- runtime: a JRE only, glibc-based (Ubuntu), as the tests ran; one layer per Boot layer, the ones that
# change least first, so a code change ships only the last few MB.
FROM eclipse-temurin:25-jre AS runtime
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# Numeric, so that Kubernetes' runAsNonRoot can tell it is not root; it owns nothing in /app (read-only is fine).
USER 10001:10001
EXPOSE 8080
# Heap size: overridable as a whole through JAVA_TOOL_OPTIONS (the chart's javaOptions).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
# Give heap back after collections: tens of thousands of idle STOMP sessions then cost their live size in RSS
# (about 24 KB each), not what G1 once grew the heap to. Out of memory ends the JVM, so the pod is restarted
# rather than left half-working. No HEALTHCHECK: Kubernetes ignores it (the chart's probes ask
# /actuator/health/liveness and readiness) and OCI images, podman's default, cannot carry one.
ENTRYPOINT ["java", "-XX:MaxHeapFreeRatio=30", "-XX:MinHeapFreeRatio=10", "-XX:+ExitOnOutOfMemoryError", \
            "org.springframework.boot.loader.launch.JarLauncher"]
