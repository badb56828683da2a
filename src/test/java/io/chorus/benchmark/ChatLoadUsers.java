package io.chorus.benchmark;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes the configuration that lets a local instance issue dev tokens to {@link ChatLoad}'s
 * users. {@code POST /api/v1/dev/token} only signs tokens for configured demo users
 * ({@code chorus.identity.local.demo-users}), and a list from another property source replaces
 * the whole list, so the file repeats the standard demo users and adds {@code load-1} …
 * {@code load-N}. Start the instance with it:
 *
 * <pre>
 * ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.chorus.benchmark.ChatLoadUsers -Dusers=2000
 * CHORUS_DATA_DIR=/tmp/load ./mvnw -q spring-boot:run \
 *   -Dspring-boot.run.arguments=--spring.config.additional-location=optional:file:target/chat-load/
 * </pre>
 *
 * The file is named {@code application-local.yaml} so that it outranks the packaged one of
 * the same profile.
 */
public final class ChatLoadUsers {

    static final String PREFIX = "load-";

    public static void main(String[] args) throws Exception {
        int users = Integer.getInteger("users", 2000);
        Path out = Path.of(System.getProperty("usersConfig", "target/chat-load/application-local.yaml"));
        StringBuilder yaml = new StringBuilder("""
                # Written by io.chorus.benchmark.ChatLoadUsers: the demo users plus the load generator's.
                chorus:
                  identity:
                    local:
                      demo-users:
                """);
        for (Map<String, Object> demo : packagedDemoUsers()) {
            yaml.append("        - { username: \"%s\", display-name: \"%s\", email: \"%s\", roles: %s }\n".formatted(
                    demo.get("username"), demo.get("display-name"), demo.get("email"), demo.get("roles")));
        }
        for (int i = 1; i <= users; i++) {
            String name = PREFIX + i;
            yaml.append("        - { username: %s, display-name: Load %d, email: %s@load.local, roles: [employee] }\n"
                    .formatted(name, i, name));
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, yaml);
        System.out.println("Wrote " + users + " load users to " + out.toAbsolutePath() + "; start the instance with"
                + " -Dspring-boot.run.arguments=--spring.config.additional-location=optional:file:"
                + out.toAbsolutePath().getParent() + "/");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> packagedDemoUsers() throws Exception {
        try (InputStream in = ChatLoadUsers.class.getResourceAsStream("/application-local.yaml")) {
            if (in == null) {
                return List.of();
            }
            Map<String, Object> root = new Yaml().load(in);
            Object users = dig(root, "chorus", "identity", "local", "demo-users");
            return users instanceof List<?> list ? (List<Map<String, Object>>) list : new ArrayList<>();
        }
    }

    private static Object dig(Object node, String... keys) {
        for (String key : keys) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }
}
