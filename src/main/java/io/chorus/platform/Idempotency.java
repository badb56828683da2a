package io.chorus.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What every place that honours an {@code Idempotency-Key} agrees on: the header names, what a
 * key may look like, and how two request bodies are compared. Bodies are compared by a hash of
 * their canonical JSON (members sorted, no spacing), so a client that re-serialises its retry
 * with another member order or indentation still sends "the same" request.
 */
public final class Idempotency {

    public static final String KEY_HEADER = "Idempotency-Key";
    /** On a response that repeats the result of an earlier request with the same key; always {@code true}. */
    public static final String REPLAYED_HEADER = "Idempotency-Replayed";

    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

    private Idempotency() {
    }

    /** 1 to 200 visible ASCII characters: enough for a UUID or an ERP's document number, never a body. */
    public static boolean isWellFormedKey(String key) {
        return KEY.matcher(key).matches();
    }

    /** The JSON text of {@code node} with every object's members sorted by name, without spacing. */
    public static String canonicalJson(JsonNode node) {
        return JsonMapper.shared().writeValueAsString(sorted(node));
    }

    /** The lower-case hex SHA-256 of the parts, one after the other. */
    public static String sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The SHA-256 of the canonical JSON of {@code node}: equal for bodies that differ only in member order and spacing. */
    public static String fingerprint(JsonNode node) {
        return sha256(canonicalJson(node).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> members = new TreeMap<>();
            node.properties().forEach(entry -> members.put(entry.getKey(), sorted(entry.getValue())));
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            members.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> out.add(sorted(item)));
            return out;
        }
        return node;
    }
}
