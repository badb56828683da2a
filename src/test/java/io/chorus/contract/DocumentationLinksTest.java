package io.chorus.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation is only useful to someone who cloned the repository if everything it points
 * to is in the repository: every relative link in the README and in {@code docs/} leads to a file
 * (and heading) that exists, and no file names a document that lives somewhere else. Needs no
 * server: it reads the files Maven runs the tests from.
 */
class DocumentationLinksTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().normalize();

    /** Build output, local data and version control: not part of what a clone documents. */
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target", ".chorus-data", ".mvn", ".idea",
            "node_modules");

    private static final Set<String> TEXT_SUFFIXES = Set.of(".md", ".java", ".xml", ".yaml", ".yml", ".json", ".sql",
            ".tpl", ".txt", ".properties", ".sh");

    private static final Set<String> TEXT_FILE_NAMES = Set.of("Dockerfile", "run", "mvnw", ".gitignore");

    /** {@code [text](target)}; images ({@code ![alt](src)}) match too, which is what we want. */
    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

    /**
     * A document named by path ({@code docs/search.md}) or by an upper-case name
     * ({@code README.md}). Lower-case bare names are files the code writes (benchmark reports),
     * not documents it points readers to; so are paths under {@code target/}.
     */
    private static final Pattern DOCUMENT_MENTION = Pattern.compile(
            "(?<![\\w./-])((?:\\.{1,2}/)*(?:[\\w-]+/)+[\\w.-]+\\.md|[A-Z][A-Z0-9_-]*\\.md)\\b");

    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");

    @Test
    void everyRelativeLinkInTheDocumentationLeadsToAFileAndHeadingInTheRepository() {
        List<Path> documents = documentation();
        assertThat(documents).as("README.md and docs/*.md").contains(ROOT.resolve("README.md"));

        List<String> broken = new ArrayList<>();
        for (Path document : documents) {
            for (String target : links(document)) {
                String problem = problemWithLink(document, target);
                if (problem != null) {
                    broken.add(ROOT.relativize(document) + ": (" + target + ") " + problem);
                }
            }
        }
        assertThat(broken).as("broken relative links").isEmpty();
    }

    @Test
    void noFileInTheRepositoryNamesADocumentThatIsNotInIt() {
        List<String> dangling = new ArrayList<>();
        for (Path file : textFiles()) {
            String[] lines = read(file).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher mention = DOCUMENT_MENTION.matcher(lines[i]);
                while (mention.find()) {
                    String name = mention.group(1);
                    if (name.startsWith("target/") || name.contains("/target/")) {
                        continue;
                    }
                    Path fromRoot = ROOT.resolve(name).normalize();
                    Path fromFile = file.getParent().resolve(name).normalize();
                    boolean inRepository = (fromRoot.startsWith(ROOT) && Files.isRegularFile(fromRoot))
                            || (fromFile.startsWith(ROOT) && Files.isRegularFile(fromFile));
                    if (!inRepository) {
                        dangling.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + name);
                    }
                }
            }
        }
        assertThat(dangling).as("documents named but not in the repository").isEmpty();
    }

    /** Null when the link is fine; otherwise what is wrong with it. */
    private static String problemWithLink(Path document, String target) {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null; // https:, mailto: and the like: not ours to check offline
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = path.isEmpty() ? document : document.getParent().resolve(path).normalize();
        if (!resolved.startsWith(ROOT)) {
            return "points outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (fragment != null && !fragment.isEmpty() && resolved.toString().endsWith(".md")
                && !anchors(resolved).contains(fragment)) {
            return "no heading #" + fragment + " in " + ROOT.relativize(resolved);
        }
        return null;
    }

    /** Link targets outside fenced code blocks, where brackets and parentheses are code. */
    private static List<String> links(Path document) {
        List<String> targets = new ArrayList<>();
        for (String line : prose(document)) {
            Matcher link = MARKDOWN_LINK.matcher(line);
            while (link.find()) {
                targets.add(link.group(1));
            }
        }
        return targets;
    }

    /** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
    private static Set<String> anchors(Path document) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(document)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = heading.group(1).toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "")
                        .replace(' ', '-');
                int repeats = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(repeats == 0 ? slug : slug + "-" + repeats);
            }
        }
        return anchors;
    }

    private static List<String> prose(Path document) {
        List<String> lines = new ArrayList<>();
        boolean inFence = false;
        for (String line : read(document).split("\n", -1)) {
            if (line.stripLeading().startsWith("```")) {
                inFence = !inFence;
            } else if (!inFence) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static List<Path> documentation() {
        List<Path> documents = new ArrayList<>();
        documents.add(ROOT.resolve("README.md"));
        Path docs = ROOT.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> files = Files.walk(docs)) {
                files.filter(file -> file.toString().endsWith(".md")).sorted().forEach(documents::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return documents;
    }

    private static List<Path> textFiles() {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    return !dir.equals(ROOT) && SKIPPED_DIRECTORIES.contains(dir.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    String name = file.getFileName().toString();
                    int dot = name.lastIndexOf('.');
                    if (attributes.isRegularFile() && (TEXT_FILE_NAMES.contains(name)
                            || (dot > 0 && TEXT_SUFFIXES.contains(name.substring(dot))))) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not UTF-8 text", e);
        }
    }
}
