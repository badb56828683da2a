package io.chorus.approval;

/** What a form field holds. Values travel as JSON; see docs/approvals.md for each type's shape. */
public enum FieldType {
    TEXT, LONG_TEXT, NUMBER,
    /** {@code {"currency": "CNY", "amount": "1280.50"}}: a decimal amount, never a binary float. */
    MONEY,
    DATE,
    /** {@code {"start": "2026-12-07", "end": "2026-12-09"}}; the stored value adds {@code days} (3). */
    DATE_RANGE,
    SINGLE_CHOICE, MULTIPLE_CHOICE,
    /** A user id. */
    USER,
    /** A department id. */
    DEPARTMENT,
    /** References to uploaded files (ids), up to 20. */
    ATTACHMENT,
    /** 明细: repeated rows of the other types; money columns get a computed total. */
    DETAIL_TABLE;

    public boolean numeric() {
        return this == NUMBER || this == MONEY;
    }
}
