package io.chorus.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.chat.Card.Action;
import io.chorus.chat.Card.ActionStyle;
import io.chorus.chat.Card.Field;
import io.chorus.chat.Card.Input;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

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

    private static void refused(ThrowingCallable making, String detail) {
        assertThatThrownBy(making).isInstanceOfSatisfying(ChorusProblem.class, problem -> {
            assertThat(problem.code()).isEqualTo(ProblemCodes.VALIDATION_FAILED);
            assertThat(problem.status().value()).isEqualTo(400);
            assertThat(problem.getMessage()).contains(detail);
        });
    }
}
