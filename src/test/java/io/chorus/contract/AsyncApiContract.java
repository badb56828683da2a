package io.chorus.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.Keyword;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationContext;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code frontend-contract/asyncapi.yaml}, and the checks of real STOMP frame bodies against
 * the payload schemas of its messages (JSON Schema draft 7, which AsyncAPI schemas extend).
 * Remembers which messages have been checked, so a test can demand that all were.
 */
final class AsyncApiContract {

    static final Path LOCATION = Path.of("frontend-contract", "asyncapi.yaml");
    /** The channel whose messages are told apart by their {@code type}. */
    static final String EVENTS_CHANNEL = "events";

    private final JsonNode root;
    /** The document's own fields, which the schema library meets because the whole document is its schema resource. */
    private static final Set<String> DOCUMENT_FIELDS = Set.of("asyncapi", "id", "info", "servers", "defaultContentType",
            "channels", "operations", "components");

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
            builder -> builder.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV7())
                    .unknownKeywordFactory(AsyncApiContract::documentFieldOnly).build()));
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
    private final Set<String> checked = ConcurrentHashMap.newKeySet();

    private AsyncApiContract(JsonNode root) {
        this.root = root;
    }

    static AsyncApiContract load() {
        JsonNode root = ContractJson.readYaml(LOCATION);
        assertThat(root.path("asyncapi").asText()).as("AsyncAPI version of %s", LOCATION).startsWith("3.");
        return new AsyncApiContract(root);
    }

    JsonNode root() {
        return root;
    }

    /** Channel id to address, for channels bound to a destination. */
    Map<String, String> channelAddresses() {
        Map<String, String> addresses = new LinkedHashMap<>();
        root.path("channels").properties().forEach(channel -> {
            JsonNode address = channel.getValue().get("address");
            if (address != null && !address.isNull()) {
                addresses.put(channel.getKey(), address.asText());
            }
        });
        return addresses;
    }

    /** The component message names of a channel's messages. */
    Set<String> messagesOf(String channel) {
        Set<String> names = new LinkedHashSet<>();
        JsonNode messages = root.path("channels").path(channel).path("messages");
        assertThat(messages.isObject()).as("messages of channel %s in %s", channel, LOCATION).isTrue();
        messages.properties().forEach(message -> names.add(componentName(message.getValue())));
        return names;
    }

    /** Event {@code type} to component message name, from the type constants of the events channel's payloads. */
    Map<String, String> eventTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        for (String message : messagesOf(EVENTS_CHANNEL)) {
            JsonNode payload = resolve(root.path("components").path("messages").path(message).path("payload"));
            JsonNode type = payload.path("properties").path("type").path("const");
            assertThat(type.isTextual()).as("%s's payload declares its type as a const", message).isTrue();
            assertThat(types.put(type.asText(), message)).as("event type %s declared twice", type.asText()).isNull();
        }
        return types;
    }

    /** Every component message; those that carry a payload are the ones frames can be checked against. */
    Set<String> messagesWithPayload() {
        Set<String> names = new TreeSet<>();
        root.path("components").path("messages").properties().forEach(message -> {
            if (message.getValue().has("payload")) {
                names.add(message.getKey());
            }
        });
        return names;
    }

    /** Checks a frame body (JSON text) against the payload schema of the named component message. */
    void checkPayload(String message, String json) {
        check(message, "payload", json);
    }

    /** Demands that the payload schema of the named component message rejects a frame body the server refuses. */
    void checkPayloadRejected(String message, String json) {
        assertThat(schema(message, "payload").validate(ContractJson.read(json)))
                .as("the server refuses %s for %s, but %s allows it: it should document the constraint", json, message,
                        LOCATION)
                .isNotEmpty();
    }

    /** Checks STOMP headers (as a JSON object) against the headers schema of the named component message. */
    void checkHeaders(String message, String json) {
        check(message, "headers", json);
    }

    /** Checks an event on the events channel against the message its {@code type} names. */
    void checkEvent(String json) {
        String type = ContractJson.read(json).path("type").asText(null);
        String message = eventTypes().get(type);
        assertThat(message).as("%s documents no event of type %s: %s", LOCATION, type, json).isNotNull();
        checkPayload(message, json);
    }

    Set<String> checkedMessages() {
        return Set.copyOf(checked);
    }

    private void check(String message, String part, String json) {
        assertThat(root.path("components").path("messages").path(message).has(part))
                .as("%s has a %s for message %s", LOCATION, part, message).isTrue();
        Set<ValidationMessage> errors = schema(message, part).validate(ContractJson.read(json));
        assertThat(errors).as("%s of %s does not match %s: %s", part, message, LOCATION, json).isEmpty();
        checked.add(message);
    }

    /** Any other unknown keyword is a typo in a schema ({@code additionalProperty}, say) that would silently check nothing. */
    private static Keyword documentFieldOnly(String keyword, ValidationContext context) {
        if (!DOCUMENT_FIELDS.contains(keyword)) {
            throw new AssertionError("'" + keyword + "' in a schema of " + LOCATION + " is no JSON Schema keyword");
        }
        return new NonValidationKeyword(keyword);
    }

    private JsonSchema schema(String message, String part) {
        return schemas.computeIfAbsent(message + "/" + part, key -> {
            String pointer = "/components/messages/" + key;
            JsonSchema schema = factory.getSchema(SchemaLocation.of(LOCATION.toAbsolutePath().toUri() + "#" + pointer),
                    config);
            // Handing the library the parsed document as well makes it ignore the fragment and check
            // against the whole document, which accepts anything: make sure that never happens silently.
            assertThat(schema.getSchemaNode()).as("schema compiled for %s", pointer).isEqualTo(root.at(pointer));
            return schema;
        });
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref")) {
            String ref = current.get("$ref").asText();
            assertThat(ref).as("local reference in %s", LOCATION).startsWith("#/");
            current = root.at(ref.substring(1));
            assertThat(current.isMissingNode()).as("%s resolves in %s", ref, LOCATION).isFalse();
        }
        return current;
    }

    private String componentName(JsonNode message) {
        String ref = message.path("$ref").asText();
        assertThat(ref).as("channel messages refer to component messages in %s", LOCATION)
                .startsWith("#/components/messages/");
        String name = ref.substring("#/components/messages/".length());
        assertThat(root.path("components").path("messages").has(name)).as("%s resolves", ref).isTrue();
        return name;
    }
}
