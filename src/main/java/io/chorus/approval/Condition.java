package io.chorus.approval;

import java.math.BigDecimal;
import java.util.List;

/**
 * A declarative branch condition; no expressions, no scripts. Either a combination
 * ({@code all} or {@code any} of nested conditions) or a comparison of one {@code field}:
 * <ul>
 * <li>a NUMBER or MONEY field (its amount), {@code <date range>.days}, or
 *     {@code <detail table>.<money column>.total} with GT, GE, LT, LE, EQ, NE and {@code number};</li>
 * <li>a SINGLE_CHOICE field with IN or NOT_IN and {@code values};</li>
 * <li>a MULTIPLE_CHOICE field with IN (any chosen value is listed) or NOT_IN (none is);</li>
 * <li>{@code requester.department} with IN or NOT_IN and department ids as {@code values}: the
 *     requester's primary department is one of them or lies below one.</li>
 * </ul>
 * A comparison of money names its {@code currency} (required unless the field allows exactly one):
 * an amount in another currency does not satisfy it, so JPY 6,000 is not "more than 5,000 CNY".
 */
public record Condition(List<Condition> all, List<Condition> any, String field, Operator op, BigDecimal number,
        List<String> values, String currency) {

    public Condition {
        all = all == null ? null : List.copyOf(all);
        any = any == null ? null : List.copyOf(any);
        values = values == null ? null : List.copyOf(values);
    }

    public static final String REQUESTER_DEPARTMENT = "requester.department";

    public enum Operator {
        GT, GE, LT, LE, EQ, NE, IN, NOT_IN;

        public boolean numeric() {
            return this != IN && this != NOT_IN;
        }
    }

    public static Condition compare(String field, Operator op, BigDecimal number) {
        return new Condition(null, null, field, op, number, null, null);
    }

    /** A comparison of a money field's amount in {@code currency}. */
    public static Condition compare(String field, Operator op, BigDecimal number, String currency) {
        return new Condition(null, null, field, op, number, null, currency);
    }

    public static Condition in(String field, List<String> values) {
        return new Condition(null, null, field, Operator.IN, null, values, null);
    }

    public static Condition allOf(List<Condition> conditions) {
        return new Condition(conditions, null, null, null, null, null, null);
    }

    public static Condition anyOf(List<Condition> conditions) {
        return new Condition(null, conditions, null, null, null, null, null);
    }
}
