package io.chorus.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Jackson 2, which both validator libraries speak, beside the application's Jackson 3: the
 * documents are read with it and payloads cross over as JSON text.
 */
final class ContractJson {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ContractJson() {
    }

    static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException unreadable) {
            throw new UncheckedIOException("Cannot read " + file, unreadable);
        }
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException unreadable) {
            throw new AssertionError("Not JSON: " + json, unreadable);
        }
    }

    /** The {@code code} of a problem body, or null when there is none. */
    static String problemCode(String body) {
        JsonNode code = read(body).get("code");
        return code == null || !code.isTextual() ? null : code.asText();
    }
}
