# Build the jar first: ./mvnw -DskipTests package
# Then: docker build -t chorus:0.1.0 .   (or podman/buildah)
FROM eclipse-temurin:21-jre
WORKDIR /app
COPY target/chorus-*.jar /app/chorus.jar
# No local profile here: the image needs CHORUS_DB_URL / CHORUS_DB_USER / CHORUS_DB_PASSWORD and
# CHORUS_ISSUER_URI (see docs/operations.md), and never issues dev tokens.
USER 10001
EXPOSE 8080
# Give heap back after collections: tens of thousands of idle STOMP sessions then cost their
# live size in RSS (about 24 KB each), not what G1 once grew the heap to.
ENTRYPOINT ["java", "-XX:MaxHeapFreeRatio=30", "-XX:MinHeapFreeRatio=10", "-jar", "/app/chorus.jar"]
