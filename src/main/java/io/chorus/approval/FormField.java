package io.chorus.approval;

import java.math.BigDecimal;
import java.util.List;

/**
 * One field of a template's form. Which limits apply depends on the type: lengths for text,
 * {@code min}/{@code max}/{@code scale} for numbers and money amounts, {@code options} for
 * choices, {@code minItems}/{@code maxItems} for multiple choice, attachments and table rows,
 * {@code currencies} for money, {@code columns} for a detail table.
 */
public record FormField(String key, String label, FieldType type, boolean required, Integer minLength,
        Integer maxLength, BigDecimal min, BigDecimal max, Integer scale, List<String> options, Integer minItems,
        Integer maxItems, List<String> currencies, List<FormField> columns) {

    public FormField {
        options = options == null ? null : List.copyOf(options);
        currencies = currencies == null ? null : List.copyOf(currencies);
        columns = columns == null ? null : List.copyOf(columns);
    }

    /** A field of {@code type} with no limits beyond the type's own. */
    public static FormField of(String key, String label, FieldType type, boolean required) {
        return new FormField(key, label, type, required, null, null, null, null, null, null, null, null, null, null);
    }
}
