package io.chorus.approval.internal;

import io.chorus.approval.Condition;
import io.chorus.approval.FieldType;
import io.chorus.approval.FormField;
import io.chorus.approval.FormSchema;
import io.chorus.approval.internal.TemplateRules.Operand;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Decides a branch condition on a validated form. An optional field left empty makes a
 * comparison false and a NOT_IN true: "no amount" is not "more than 5000".
 */
final class ConditionEvaluator {

    private ConditionEvaluator() {
    }

    /** What the condition's field is compared as, if the form has such a field. */
    static Optional<Operand> operand(FormSchema form, String field) {
        if (Condition.REQUESTER_DEPARTMENT.equals(field)) {
            return Optional.of(Operand.DEPARTMENT);
        }
        String[] parts = field.split("\\.", -1);
        Optional<FormField> first = form.field(parts[0]);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        FieldType type = first.get().type();
        if (parts.length == 1) {
            return switch (type) {
                case NUMBER, MONEY -> Optional.of(Operand.NUMBER);
                case SINGLE_CHOICE, MULTIPLE_CHOICE -> Optional.of(Operand.CHOICE);
                default -> Optional.empty();
            };
        }
        if (parts.length == 2 && type == FieldType.DATE_RANGE && parts[1].equals("days")) {
            return Optional.of(Operand.NUMBER);
        }
        if (parts.length == 3 && type == FieldType.DETAIL_TABLE && parts[2].equals("total")
                && moneyField(form, field).isPresent()) {
            return Optional.of(Operand.NUMBER);
        }
        return Optional.empty();
    }

    /** The MONEY field (or detail-table money column) a condition's field compares, if it compares money. */
    static Optional<FormField> moneyField(FormSchema form, String field) {
        String[] parts = field.split("\\.", -1);
        Optional<FormField> first = form.field(parts[0]);
        if (parts.length == 1) {
            return first.filter(found -> found.type() == FieldType.MONEY);
        }
        if (parts.length == 3 && first.isPresent() && first.get().columns() != null) {
            return first.get().columns().stream()
                    .filter(column -> column.key().equals(parts[1]) && column.type() == FieldType.MONEY).findFirst();
        }
        return Optional.empty();
    }

    /**
     * @param requesterDepartments the requester's primary department and its ancestors, as ids
     */
    static boolean holds(Condition condition, FormSchema form, JsonNode values, Set<String> requesterDepartments) {
        if (condition.all() != null) {
            return condition.all().stream().allMatch(each -> holds(each, form, values, requesterDepartments));
        }
        if (condition.any() != null) {
            return condition.any().stream().anyMatch(each -> holds(each, form, values, requesterDepartments));
        }
        Operand operand = operand(form, condition.field()).orElseThrow();
        return switch (operand) {
            case NUMBER -> number(values, condition.field(), condition.currency())
                    .map(number -> compare(number, condition)).orElse(false);
            case CHOICE -> {
                JsonNode chosen = values.get(condition.field());
                boolean anyListed = false;
                if (chosen != null && chosen.isArray()) {
                    for (JsonNode item : chosen) {
                        anyListed |= condition.values().contains(item.asString());
                    }
                } else if (chosen != null) {
                    anyListed = condition.values().contains(chosen.asString());
                }
                yield condition.op() == Condition.Operator.IN ? anyListed : !anyListed;
            }
            case DEPARTMENT -> {
                boolean within = condition.values().stream().anyMatch(requesterDepartments::contains);
                yield condition.op() == Condition.Operator.IN ? within : !within;
            }
        };
    }

    /** The value to compare; a money value only in {@code currency} (when given), else none. */
    private static Optional<BigDecimal> number(JsonNode values, String field, String currency) {
        String[] parts = field.split("\\.");
        JsonNode value = values.get(parts[0]);
        if (value == null) {
            return Optional.empty();
        }
        if (parts.length == 2) {
            value = value.get("days");
        } else if (parts.length == 3) {
            value = value.path("totals").get(parts[1]);
            if (value == null) {
                return Optional.empty();
            }
        }
        if (value.isObject()) {
            if (currency != null && !currency.equals(value.path("currency").asString())) {
                return Optional.empty();
            }
            value = value.get("amount");
        }
        return FormValidator.decimal(value);
    }

    private static boolean compare(BigDecimal number, Condition condition) {
        int order = number.compareTo(condition.number());
        return switch (condition.op()) {
            case GT -> order > 0;
            case GE -> order >= 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case EQ -> order == 0;
            case NE -> order != 0;
            case IN, NOT_IN -> false;
        };
    }
}
