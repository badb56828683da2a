package io.chorus.chat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import io.chorus.platform.UnacceptableTextException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A card: structured, render-safe content of a message. Every value is plain text that clients
 * show as it is, never as HTML or markup. Posted and replaced by another module through
 * {@link Cards}; members see it and may invoke its actions. The rules live in the constructors,
 * so a card that exists is valid: a refusal is {@code 400 VALIDATION_FAILED} naming the field.
 *
 * <p>Titles, statuses, labels and names are one line: no control character at all. Field
 * values, action values and the text typed into an input may have several lines: line feeds
 * and tabs, no other control character.
 *
 * @param status a short state shown beside the title ("Pending", "Approved"), or null
 */
public record Card(String title, String status, List<Field> fields, List<Action> actions) {

    public static final int MAX_TITLE = 200;
    public static final int MAX_STATUS = 50;
    public static final int MAX_FIELDS = 30;
    public static final int MAX_ACTIONS = 5;
    /**
     * The summary (the message's text) of the largest card: keeps one message, and one page of
     * history, to a size a STOMP frame and a REST page carry comfortably.
     */
    public static final int MAX_SUMMARY = 20_000;

    private static final Pattern ACTION_ID = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    private static final Pattern INPUT_NAME = Pattern.compile("[a-z][a-zA-Z0-9_]{0,31}");
    private static final Pattern PATH = Pattern.compile("^/api/v1/[A-Za-z0-9/_\\-.]*$");
    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    public Card {
        title = line("A card's title", title, 1, MAX_TITLE);
        status = status == null || status.isBlank() ? null : line("A card's status", status, 1, MAX_STATUS);
        fields = fields == null ? List.of() : List.copyOf(fields);
        actions = actions == null ? List.of() : List.copyOf(actions);
        if (fields.size() > MAX_FIELDS) {
            throw invalid("A card has at most " + MAX_FIELDS + " fields.");
        }
        if (actions.size() > MAX_ACTIONS) {
            throw invalid("A card has at most " + MAX_ACTIONS + " actions.");
        }
        Set<String> ids = new HashSet<>();
        for (Action action : actions) {
            if (!ids.add(action.id())) {
                throw invalid("Action ids must be distinct; '" + action.id() + "' appears twice.");
            }
        }
        if (summaryOf(title, status, fields).length() > MAX_SUMMARY) {
            throw invalid("The card is too large: its text may have at most " + MAX_SUMMARY + " characters.");
        }
    }

    /**
     * A labelled value. {@code value} may be empty and may have several lines.
     */
    public record Field(String label, String value) {

        public static final int MAX_LABEL = 100;
        public static final int MAX_VALUE = 2000;

        public Field {
            label = line("A field's label", label, 1, MAX_LABEL);
            value = lines("A field's value", value == null ? "" : value, MAX_VALUE);
        }
    }

    /**
     * Something a member may do with the card.
     *
     * @param id unique within the card; names the action in {@code /app/.../actions/{id}}
     * @param style PRIMARY | DANGER | DEFAULT (null means DEFAULT)
     * @param value opaque to chat, meaningful to the card's poster (e.g. a task id); may be null
     * @param method with {@code path}: the REST call a client may make instead; both or neither
     * @param path starts with {@code /api/v1/}
     * @param input text the user must or may type (a rejection reason) or an option they pick, null when none
     */
    public record Action(String id, String label, ActionStyle style, String value, String method, String path,
            Input input) {

        public static final int MAX_LABEL = 40;
        public static final int MAX_VALUE = 200;

        public Action {
            if (id == null || !ACTION_ID.matcher(id).matches()) {
                throw invalid("An action id is 1 to 32 characters of a-z, 0-9, '_' or '-', starting with a letter a-z.");
            }
            label = line("An action's label", label, 1, MAX_LABEL);
            style = style == null ? ActionStyle.DEFAULT : style;
            value = value == null ? null : lines("An action's value", value, MAX_VALUE);
            if ((method == null) != (path == null)) {
                throw invalid("An action's method and path go together: give both or neither.");
            }
            if (method != null && !METHODS.contains(method)) {
                throw invalid("An action's method is POST, PUT, PATCH or DELETE.");
            }
            if (path != null && (!PATH.matcher(path).matches() || path.contains("//") || path.contains("/./")
                    || path.contains("/../") || path.endsWith("/.") || path.endsWith("/.."))) {
                throw invalid("An action's path starts with /api/v1/ and has only A-Z, a-z, 0-9, '/', '_', '-' and '.',"
                        + " without empty, '.' or '..' segments.");
            }
        }

        /**
         * What the member typed, as the card's poster receives it: null when nothing was typed
         * (blank counts as nothing), refused when the action needs text it did not get, takes
         * none, or the text is too long; for a select, refused unless it is one of the options'
         * values.
         */
        public String accept(String typed) {
            String text = typed == null || typed.isBlank() ? null : typed.strip();
            if (input == null) {
                if (text != null) {
                    throw invalid("The action '" + id + "' takes no input.");
                }
                return null;
            }
            if (text == null) {
                if (input.required()) {
                    throw invalid(input.label() + " is required for the action '" + id + "'.");
                }
                return null;
            }
            if (input.options() != null) {
                if (input.options().stream().noneMatch(option -> option.value().equals(text))) {
                    throw invalid("The input '" + input.name() + "' of the action '" + id
                            + "' is a select: give the value of one of its options.");
                }
                return text;
            }
            return lines("The input '" + input.name() + "'", text, input.maxLength());
        }
    }

    public enum ActionStyle {
        PRIMARY, DANGER, DEFAULT
    }

    /**
     * Text a member types when invoking an action, or, with {@code options}, a select: the
     * member picks one option and the poster receives its {@code value}.
     *
     * @param name how the poster calls it in its REST body (e.g. {@code reason})
     * @param maxLength 1 to 2000 characters; a select's option values fit in it
     * @param options 1 to 25 choices with distinct values, or null for free text
     */
    public record Input(String name, String label, boolean required, int maxLength, List<Option> options) {

        public static final int MAX_LABEL = 100;
        public static final int MAX_LENGTH = 2000;
        public static final int MAX_OPTIONS = 25;

        /** Free text. */
        public Input(String name, String label, boolean required, int maxLength) {
            this(name, label, required, maxLength, null);
        }

        public Input {
            if (name == null || !INPUT_NAME.matcher(name).matches()) {
                throw invalid("An input name is 1 to 32 characters of a-z, A-Z, 0-9 or '_', starting with a letter a-z.");
            }
            label = line("An input's label", label, 1, MAX_LABEL);
            if (maxLength < 1 || maxLength > MAX_LENGTH) {
                throw invalid("An input's maxLength is between 1 and " + MAX_LENGTH + ".");
            }
            if (options != null) {
                options = selectable(options, maxLength);
            }
        }

        /** A select's options, checked: the member is shown each, and sends back one value. */
        private static List<Option> selectable(List<Option> options, int maxLength) {
            if (options.isEmpty() || options.size() > MAX_OPTIONS) {
                throw invalid("A select has 1 to " + MAX_OPTIONS + " options; leave options out for free text.");
            }
            Set<String> values = new HashSet<>();
            for (Option option : options) {
                if (option == null) {
                    throw invalid("A select's option is an object with a value and a label, not null.");
                }
                if (!values.add(option.value())) {
                    throw invalid("Option values must be distinct within an input; '" + option.value() + "' appears twice.");
                }
                if (option.value().length() > maxLength) {
                    // What the poster receives stays within the maxLength it declared.
                    throw invalid("The option value '" + option.value() + "' is longer than the input's maxLength ("
                            + maxLength + ").");
                }
            }
            return List.copyOf(options);
        }
    }

    /**
     * One choice of a select.
     *
     * @param value what the card's poster receives when a member picks it; one line
     * @param label what the member sees; one line
     */
    public record Option(String value, String label) {

        public static final int MAX_VALUE = 100;
        public static final int MAX_LABEL = 75;

        public Option {
            value = line("An option's value", value, 1, MAX_VALUE);
            label = line("An option's label", label, 1, MAX_LABEL);
        }
    }

    /** The action with this id, if the card (in this version) has it. */
    /**
     * Whether an action names a REST call for the member's client to make ({@code method} and
     * {@code path}). Only Chorus's own modules post such cards: from an integration, a button
     * could make members call any API with their own rights, so cards that come in through the
     * API or from a bot's answer are refused when they do.
     */
    public boolean callsApi() {
        return actions.stream().anyMatch(action -> action.path() != null);
    }

    /** The refusal for a card from outside Chorus that {@link #callsApi() calls the API}. */
    public static ChorusProblem callsApiRefused() {
        return invalid("A card from an integration cannot carry an action's method and path: its actions go to the"
                + " bot that posted it.");
    }

    public Optional<Action> action(String id) {
        return actions.stream().filter(action -> action.id().equals(id)).findFirst();
    }

    /**
     * The card as plain text, the message's text: the title, the status, then one
     * "label: value" line per field. Search, exports, audit and clients that know no cards read this.
     */
    @JsonIgnore
    public String summary() {
        return summaryOf(title, status, fields);
    }

    private static String summaryOf(String title, String status, List<Field> fields) {
        StringBuilder text = new StringBuilder(title);
        if (status != null) {
            text.append('\n').append(status);
        }
        for (Field field : fields) {
            text.append('\n').append(field.label()).append(": ").append(field.value());
        }
        return text.toString();
    }

    /** One line of text: stripped, {@code min..max} characters, no control character. */
    private static String line(String what, String text, int min, int max) {
        String stripped = text == null ? "" : text.strip();
        if (stripped.length() < min || stripped.length() > max) {
            throw invalid(what + " has " + min + " to " + max + " characters.");
        }
        checked(what, stripped, false);
        return stripped;
    }

    /** Text of several lines: at most {@code max} characters, no control character but line feed and tab. */
    private static String lines(String what, String text, int max) {
        if (text.length() > max) {
            throw invalid(what + " has at most " + max + " characters.");
        }
        checked(what, text, true);
        return text;
    }

    private static void checked(String what, String text, boolean multiLine) {
        String flaw = UnacceptableTextException.flawIn(text);
        if (flaw != null) {
            throw invalid(what + " " + flaw + ".");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.getType(c) == Character.CONTROL && !(multiLine && (c == '\n' || c == '\t'))) {
                throw invalid(what + " contains a control character (U+%04X)%s.".formatted((int) c,
                        multiLine ? "; only line feeds and tabs are allowed" : "; it is one line of text"));
            }
        }
    }

    private static ChorusProblem invalid(String detail) {
        return ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, detail);
    }
}
