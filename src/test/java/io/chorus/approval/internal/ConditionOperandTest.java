package io.chorus.approval.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.approval.FieldType;
import io.chorus.approval.FormField;
import io.chorus.approval.FormSchema;
import io.chorus.approval.internal.TemplateRules.Operand;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which fields a branch condition may compare, and as what: the paths into a form. */
class ConditionOperandTest {

    private static final FormField LINES = new FormField("lines", "Lines", FieldType.DETAIL_TABLE, true, null, null,
            null, null, null, null, null, null, null, List.of(
                    FormField.of("price", "Price", FieldType.MONEY, true),
                    FormField.of("note", "Note", FieldType.TEXT, false)));
    private static final FormSchema FORM = new FormSchema(List.of(
            FormField.of("amount", "Amount", FieldType.MONEY, true),
            FormField.of("count", "Count", FieldType.NUMBER, true),
            FormField.of("leave", "Leave", FieldType.DATE_RANGE, true),
            FormField.of("kind", "Kind", FieldType.SINGLE_CHOICE, true),
            LINES));

    @Test
    void aMoneyColumnsTotalIsANumberAndNothingElseOfATableIs() {
        assertThat(ConditionEvaluator.operand(FORM, "lines.price.total")).contains(Operand.NUMBER);
        assertThat(ConditionEvaluator.operand(FORM, "lines.note.total")).isEmpty();
        assertThat(ConditionEvaluator.operand(FORM, "lines.price.sum")).isEmpty();
        assertThat(ConditionEvaluator.operand(FORM, "lines.missing.total")).isEmpty();
        assertThat(ConditionEvaluator.operand(FORM, "lines.price")).isEmpty();
        assertThat(ConditionEvaluator.operand(FORM, "lines")).isEmpty();
    }

    @Test
    void plainFieldsAreComparedByTheirType() {
        assertThat(ConditionEvaluator.operand(FORM, "amount")).contains(Operand.NUMBER);
        assertThat(ConditionEvaluator.operand(FORM, "count")).contains(Operand.NUMBER);
        assertThat(ConditionEvaluator.operand(FORM, "leave.days")).contains(Operand.NUMBER);
        assertThat(ConditionEvaluator.operand(FORM, "kind")).contains(Operand.CHOICE);
        assertThat(ConditionEvaluator.operand(FORM, "amount.total")).isEmpty();
        assertThat(ConditionEvaluator.operand(FORM, "nothing")).isEmpty();
    }

    @Test
    void theMoneyBehindAComparisonIsTheFieldOrTheColumn() {
        assertThat(ConditionEvaluator.moneyField(FORM, "amount")).map(FormField::key).contains("amount");
        assertThat(ConditionEvaluator.moneyField(FORM, "lines.price.total")).map(FormField::key).contains("price");
        assertThat(ConditionEvaluator.moneyField(FORM, "count")).isEmpty();
        assertThat(ConditionEvaluator.moneyField(FORM, "lines.note.total")).isEmpty();
    }
}
