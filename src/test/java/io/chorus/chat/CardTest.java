package io.chorus.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.chat.Card.Action;
import io.chorus.chat.Card.ActionStyle;
import io.chorus.chat.Card.Field;
import io.chorus.chat.Card.Input;
import io.chorus.chat.Card.Option;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The rules a card obeys, checked where it is made: a card that exists is valid. */
class CardTest {

    private static final Input REASON = new Input("reason", "Reason", true, 500);

    static Action approve() {
        return new Action("approve", "Approve", ActionStyle.PRIMARY, "task-7", "POST",
                "/api/v1/approvals/tasks/7/approve", null);
    }

    static Action reject() {
        return new Action("reject", "Reject", ActionStyle.DANGER, "task-7", "POST",
                "/api/v1/approvals/tasks/7/reject", REASON);
    }

    @Test
    void aValidCardKeepsWhatItWasGivenAndSummarisesItAsPlainText() {
        Card card = new Card("  Leave request  ", "Pending",
                List.of(new Field("From", "Alice"), new Field("Note", "Two days\n\tback on Monday")),
                List.of(approve(), reject()));

        assertThat(card.title()).isEqualTo("Leave request");
        assertThat(card.summary()).isEqualTo("Leave request\nPending\nFrom: Alice\nNote: Two days\n\tback on Monday");
        assertThat(card.action("reject")).contains(reject());
        assertThat(card.action("delete")).isEmpty();
        assertThat(new Card("No status", " ", null, null).status()).isNull();
        assertThat(new Action("ok", "OK", null, null, null, null, null).style()).isEqualTo(ActionStyle.DEFAULT);
        assertThat(new Card("<b>Not bold</b>", null, List.of(), List.of()).summary())
                .as("markup is kept as the text it is, never interpreted").isEqualTo("<b>Not bold</b>");
    }

    @Test
    void anActionsPathHasNoEmptyDotOrDotDotSegmentsAndTellsWhetherTheCardCallsTheApi() {
        for (String path : List.of("/api/v1/../admin", "/api/v1/approvals/../../x", "/api/v1/./x", "/api/v1//x",
                "/api/v1/x/..", "/api/v1/x/.")) {
            refused(() -> new Action("go", "Go", null, null, "POST", path, null), "segments");
        }
        assertThat(new Action("go", "Go", null, null, "POST", "/api/v1/approvals/tasks/7.1/approve", null).path())
                .as("a dot inside a segment is fine").endsWith("7.1/approve");
        assertThat(new Card("Card", null, List.of(), List.of(approve())).callsApi()).isTrue();
        assertThat(new Card("Card", null, List.of(), List.of(new Action("ok", "OK", null, "v", null, null, null)))
                .callsApi()).isFalse();
    }

    @Test
    void controlCharactersAreRefusedButLineFeedsAndTabsInValues() {
        refused(() -> new Card("Leave\u0007request", null, List.of(), List.of()), "control character");
        refused(() -> new Card("Two\nlines", null, List.of(), List.of()), "control character");
        refused(() -> new Field("From\u001b[31m", "Alice"), "control character");
        refused(() -> new Field("From", "Alice\r\nBob"), "control character");
        refused(() -> new Field("From", "Alice\u0085"), "control character");
        refused(() -> new Action("ok", "O\u0000K", null, null, null, null, null), "NUL");
        refused(() -> new Field("From", "half \ud800 a pair"), "surrogate");
        assertThat(new Field("Note", "line one\nline\ttwo").value()).isEqualTo("line one\nline\ttwo");
    }

    @Test
    void lengthsAndCountsAreBounded() {
        refused(() -> new Card(" ", null, List.of(), List.of()), "title");
        refused(() -> new Card("x".repeat(201), null, List.of(), List.of()), "title");
        assertThat(new Card("x".repeat(200), "s".repeat(50), List.of(), List.of()).title()).hasSize(200);
        refused(() -> new Card("Title", "s".repeat(51), List.of(), List.of()), "status");
        refused(() -> new Card("Title", null,
                IntStream.range(0, 31).mapToObj(i -> new Field("f" + i, "v")).toList(), List.of()), "30 fields");
        refused(() -> new Field("", "v"), "label");
        refused(() -> new Field("l".repeat(101), "v"), "label");
        refused(() -> new Field("Note", "v".repeat(2001)), "2000");
        refused(() -> new Card("Title", null, List.of(), IntStream.range(0, 6)
                .mapToObj(i -> new Action("a" + i, "A" + i, null, null, null, null, null)).toList()), "5 actions");
        refused(() -> new Card("Title", null, List.of(), List.of(approve(), approve())), "twice");
        refused(() -> new Action("ok", "l".repeat(41), null, null, null, null, null), "label");
        refused(() -> new Action("ok", "OK", null, "v".repeat(201), null, null, null), "200");
        refused(() -> new Input("reason", "Reason", true, 0), "maxLength");
        refused(() -> new Input("reason", "Reason", true, 2001), "maxLength");
    }

    @Test
    void idsNamesMethodsAndPathsFollowTheirPatterns() {
        refused(() -> new Action("Approve", "Approve", null, null, null, null, null), "action id");
        refused(() -> new Action("1st", "First", null, null, null, null, null), "action id");
        refused(() -> new Action("a".repeat(33), "Long", null, null, null, null, null), "action id");
        refused(() -> new Action("ok", "OK", null, null, "GET", "/api/v1/things", null), "method");
        refused(() -> new Action("ok", "OK", null, null, "POST", null, null), "both or neither");
        refused(() -> new Action("ok", "OK", null, null, "POST", "/admin/delete", null), "path");
        refused(() -> new Action("ok", "OK", null, null, "POST", "https://evil.example/api/v1/x", null), "path");
        refused(() -> new Action("ok", "OK", null, null, "POST", "/api/v1/x?y=<script>", null), "path");
        refused(() -> new Action("ok", "OK", null, null, "POST", "/api/v1/x y", null), "path");
        refused(() -> new Input("Reason", "Reason", true, 10), "input name");
        refused(() -> new Input("the-reason", "Reason", true, 10), "input name");
        assertThat(new Action("ok_2-b", "OK", null, null, "DELETE", "/api/v1/a/b_c-d.e", null).path())
                .isEqualTo("/api/v1/a/b_c-d.e");
    }

    @Test
    void anActionTakesOnlyTheInputItDeclares() {
        assertThat(reject().accept("  too expensive \n")).isEqualTo("too expensive");
        refused(() -> reject().accept(null), "required");
        refused(() -> reject().accept("   "), "required");
        refused(() -> reject().accept("x".repeat(501)), "500");
        refused(() -> reject().accept("bell\u0007"), "control character");
        assertThat(new Action("note", "Note", null, null, null, null, new Input("note", "Note", false, 10))
                .accept(null)).isNull();
        assertThat(approve().accept(null)).isNull();
        assertThat(approve().accept(" ")).isNull();
        refused(() -> approve().accept("why not"), "takes no input");
    }

    private static Input priority(boolean required) {
        return new Input("priority", "Priority", required, 20,
                List.of(new Option("high", "High – today"), new Option("low", "Low")));
    }

    private static Action triage(Input input) {
        return new Action("triage", "Triage", null, "ticket-42", null, null, input);
    }

    @Test
    void aSelectsOptionsAreBoundedDistinctAndOneLine() {
        Input select = new Input("priority", "Priority", true, 20,
                List.of(new Option("  high ", " High – today "), new Option("low", "Low")));
        assertThat(select.options()).containsExactly(new Option("high", "High – today"), new Option("low", "Low"));
        assertThat(new Input("reason", "Reason", true, 10).options()).as("free text has no options").isNull();

        refused(() -> new Input("priority", "Priority", true, 20, List.of()), "1 to 25 options");
        refused(() -> new Input("priority", "Priority", true, 100, IntStream.range(0, 26)
                .mapToObj(i -> new Option("v" + i, "Option " + i)).toList()), "1 to 25 options");
        assertThat(new Input("priority", "Priority", true, 100, IntStream.range(0, 25)
                .mapToObj(i -> new Option("v" + i, "Option " + i)).toList()).options()).hasSize(25);
        refused(() -> new Input("priority", "Priority", true, 20,
                List.of(new Option("high", "High"), new Option(" high", "Also high"))), "'high' appears twice");
        refused(() -> new Input("priority", "Priority", true, 20, java.util.Arrays.asList(new Option("a", "A"), null)),
                "not null");
        refused(() -> new Input("priority", "Priority", true, 3, List.of(new Option("high", "High"))), "maxLength (3)");

        refused(() -> new Option("high", ""), "option's label");
        refused(() -> new Option("high", "   "), "option's label");
        refused(() -> new Option("high", "l".repeat(76)), "option's label");
        refused(() -> new Option("high", "Two\nlines"), "control character");
        assertThat(new Option("v".repeat(100), "l".repeat(75)).label()).hasSize(75);
        refused(() -> new Option(null, "High"), "option's value");
        refused(() -> new Option(" ", "High"), "option's value");
        refused(() -> new Option("v".repeat(101), "High"), "option's value");
        refused(() -> new Option("hi\tgh", "High"), "control character");
    }

    @Test
    void aSelectTakesOnlyTheValueOfOneOfItsOptions() {
        assertThat(triage(priority(true)).accept(" low ")).isEqualTo("low");
        assertThat(triage(priority(true)).accept("high")).isEqualTo("high");
        refused(() -> triage(priority(true)).accept("urgent"), "is a select: give the value of one of its options");
        refused(() -> triage(priority(true)).accept("High – today"), "one of its options");
        refused(() -> triage(priority(true)).accept("HIGH"), "one of its options");
        refused(() -> triage(priority(true)).accept(null), "required");
        assertThat(triage(priority(false)).accept(" ")).isNull();
        refused(() -> triage(priority(false)).accept("medium"), "one of its options");
    }

    @Test
    void aSelectSurvivesJsonAndAStoredInputWithoutOptionsStaysFreeText() {
        JsonMapper json = JsonMapper.builder().build();
        Card card = new Card("Ticket 42", null, List.of(), List.of(triage(priority(true)), reject()));

        assertThat(json.readValue(json.writeValueAsString(card), Card.class)).isEqualTo(card);
        Card stored = json.readValue("""
                {"title": "Leave", "actions": [{"id": "reject", "label": "Reject",
                  "input": {"name": "reason", "label": "Reason", "required": true, "maxLength": 500}}]}""", Card.class);
        assertThat(stored.action("reject").orElseThrow().input()).isEqualTo(REASON);
    }

    private static void refused(ThrowingCallable making, String detail) {
        assertThatThrownBy(making).isInstanceOfSatisfying(ChorusProblem.class, problem -> {
            assertThat(problem.code()).isEqualTo(ProblemCodes.VALIDATION_FAILED);
            assertThat(problem.status().value()).isEqualTo(400);
            assertThat(problem.getMessage()).contains(detail);
        });
    }
}
