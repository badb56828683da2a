package io.chorus.approval.internal;

import io.chorus.approval.ApprovalProblems;
import io.chorus.approval.FieldType;
import io.chorus.approval.FormField;
import io.chorus.approval.FormSchema;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.identity.UserProfile;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgDirectory;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ChorusProblem.FieldError;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a filled-in form against its schema and returns it normalised: amounts as decimal
 * strings, a date range with its number of days, a detail table with the totals of its money
 * columns. Every problem is reported at once, each with the path of the field it concerns.
 */
@Component
class FormValidator {

    static final int DEFAULT_TEXT_LENGTH = 200;
    static final int DEFAULT_LONG_TEXT_LENGTH = 5000;
    static final int MAX_ATTACHMENTS = 20;
    static final int MAX_TABLE_ROWS = 200;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final UserDirectory users;
    private final OrgDirectory org;

    FormValidator(UserDirectory users, OrgDirectory org) {
        this.users = users;
        this.org = org;
    }

    ObjectNode validate(FormSchema schema, JsonNode values) {
        List<FieldError> errors = new ArrayList<>();
        Checked checked = new Checked(errors, new HashSet<>(), new HashSet<>());
        ObjectNode normalised = object(schema.fields(), values, "", checked);
        checkReferences(checked);
        if (!errors.isEmpty()) {
            throw ChorusProblem.invalidFields(ApprovalProblems.FORM_INVALID, "The form has invalid fields.", errors);
        }
        return normalised;
    }

    /** Errors found so far, and the users and departments named, checked in one query each at the end. */
    private record Checked(List<FieldError> errors, Set<Reference> users, Set<Reference> departments) {
    }

    private record Reference(String path, UUID id) {
    }

    private ObjectNode object(List<FormField> fields, JsonNode values, String prefix, Checked checked) {
        ObjectNode out = NODES.objectNode();
        if (values == null || values.isNull()) {
            values = NODES.objectNode();
        }
        if (!values.isObject()) {
            checked.errors().add(new FieldError(prefix.isEmpty() ? "form" : strip(prefix), "must be an object."));
            return out;
        }
        Map<String, FormField> byKey = new LinkedHashMap<>();
        fields.forEach(field -> byKey.put(field.key(), field));
        for (Map.Entry<String, JsonNode> entry : values.properties()) {
            if (!byKey.containsKey(entry.getKey())) {
                checked.errors().add(new FieldError(prefix + entry.getKey(), "is not a field of this form."));
            }
        }
        for (FormField field : fields) {
            JsonNode value = values.get(field.key());
            String path = prefix + field.key();
            if (value == null || value.isNull() || isBlank(value)) {
                if (field.required()) {
                    checked.errors().add(new FieldError(path, "is required."));
                }
                continue;
            }
            value(field, value, path, checked).ifPresent(normalised -> out.set(field.key(), normalised));
        }
        return out;
    }

    private Optional<JsonNode> value(FormField field, JsonNode value, String path, Checked checked) {
        List<FieldError> errors = checked.errors();
        return switch (field.type()) {
            case TEXT, LONG_TEXT -> text(field, value, path, errors);
            case NUMBER -> number(field, value, path, errors).map(NODES::numberNode);
            case MONEY -> money(field, value, path, errors);
            case DATE -> date(value, path, errors).map(date -> NODES.stringNode(date.toString()));
            case DATE_RANGE -> dateRange(value, path, errors);
            case SINGLE_CHOICE -> choice(field, value, path, errors).map(NODES::stringNode);
            case MULTIPLE_CHOICE -> choices(field, value, path, errors);
            case USER -> id(value, path, errors).map(id -> {
                checked.users().add(new Reference(path, id));
                return NODES.stringNode(id.toString());
            });
            case DEPARTMENT -> id(value, path, errors).map(id -> {
                checked.departments().add(new Reference(path, id));
                return NODES.stringNode(id.toString());
            });
            case ATTACHMENT -> attachments(field, value, path, errors);
            case DETAIL_TABLE -> table(field, value, path, checked);
        };
    }

    private Optional<JsonNode> text(FormField field, JsonNode value, String path, List<FieldError> errors) {
        if (!value.isString()) {
            errors.add(new FieldError(path, "must be text."));
            return Optional.empty();
        }
        String text = PlainText.lineFeeds(value.asString()).strip();
        int max = field.maxLength() != null ? field.maxLength()
                : field.type() == FieldType.LONG_TEXT ? DEFAULT_LONG_TEXT_LENGTH : DEFAULT_TEXT_LENGTH;
        int min = field.minLength() == null ? 0 : field.minLength();
        if (text.length() > max) {
            errors.add(new FieldError(path, "may have at most " + max + " characters."));
        } else if (text.length() < min) {
            errors.add(new FieldError(path, "needs at least " + min + " characters."));
        } else if (field.type() == FieldType.TEXT && (text.contains("\n") || text.contains("\r"))) {
            errors.add(new FieldError(path, "must be a single line."));
        } else if (!PlainText.multiLine(text)) {
            errors.add(new FieldError(path, "must not contain control characters."));
        } else {
            return Optional.of(NODES.stringNode(text));
        }
        return Optional.empty();
    }

    private Optional<BigDecimal> number(FormField field, JsonNode value, String path, List<FieldError> errors) {
        Optional<BigDecimal> number = decimal(value);
        if (number.isEmpty()) {
            errors.add(new FieldError(path, "must be a number."));
            return Optional.empty();
        }
        return inRange(field, number.get(), field.scale() == null ? 2 : field.scale(), path, errors);
    }

    private Optional<BigDecimal> inRange(FormField field, BigDecimal number, int scale, String path,
            List<FieldError> errors) {
        if (number.stripTrailingZeros().scale() > scale) {
            errors.add(new FieldError(path, "may have at most " + scale + " decimal places."));
        } else if (field.min() != null && number.compareTo(field.min()) < 0) {
            errors.add(new FieldError(path, "must be at least " + field.min().toPlainString() + "."));
        } else if (field.max() != null && number.compareTo(field.max()) > 0) {
            errors.add(new FieldError(path, "must be at most " + field.max().toPlainString() + "."));
        } else if (number.abs().compareTo(new BigDecimal("1e15")) >= 0) {
            errors.add(new FieldError(path, "is too large."));
        } else {
            return Optional.of(number);
        }
        return Optional.empty();
    }

    /** A decimal from a JSON string ("1280.50") or number; a binary float is read by its shortest decimal form. */
    static Optional<BigDecimal> decimal(JsonNode value) {
        try {
            if (value.isString() && value.asString().strip().matches("-?\\d{1,18}(\\.\\d{1,12})?")) {
                return Optional.of(new BigDecimal(value.asString().strip()));
            }
            if (value.isNumber() && !(value.isDouble() && Double.isNaN(value.doubleValue()))) {
                return Optional.of(value.decimalValue());
            }
        } catch (NumberFormatException | ArithmeticException notANumber) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private Optional<JsonNode> money(FormField field, JsonNode value, String path, List<FieldError> errors) {
        if (!value.isObject() || !value.path("currency").isString() || value.get("amount") == null) {
            errors.add(new FieldError(path, "must be {\"currency\": \"CNY\", \"amount\": \"1280.50\"}."));
            return Optional.empty();
        }
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (!entry.getKey().equals("currency") && !entry.getKey().equals("amount")) {
                errors.add(new FieldError(path + "." + entry.getKey(), "is not part of a money value."));
                return Optional.empty();
            }
        }
        String code = value.get("currency").asString();
        Currency currency;
        try {
            currency = Currency.getInstance(code);
        } catch (IllegalArgumentException unknown) {
            errors.add(new FieldError(path + ".currency", "is not an ISO 4217 currency code."));
            return Optional.empty();
        }
        if (field.currencies() != null && !field.currencies().isEmpty() && !field.currencies().contains(code)) {
            errors.add(new FieldError(path + ".currency", "must be one of " + field.currencies() + "."));
            return Optional.empty();
        }
        Optional<BigDecimal> amount = decimal(value.get("amount"));
        if (amount.isEmpty()) {
            errors.add(new FieldError(path + ".amount", "must be a decimal amount such as \"1280.50\"."));
            return Optional.empty();
        }
        int scale = Math.max(0, currency.getDefaultFractionDigits());
        return inRange(field, amount.get(), scale, path + ".amount", errors)
                .map(valid -> money(code, valid.setScale(scale)));
    }

    static ObjectNode money(String currency, BigDecimal amount) {
        ObjectNode node = NODES.objectNode();
        node.put("currency", currency);
        node.put("amount", amount.toPlainString());
        return node;
    }

    private Optional<LocalDate> date(JsonNode value, String path, List<FieldError> errors) {
        if (value.isString()) {
            try {
                return Optional.of(LocalDate.parse(value.asString()));
            } catch (DateTimeParseException notADate) {
                // reported below
            }
        }
        errors.add(new FieldError(path, "must be a date such as \"2026-12-07\"."));
        return Optional.empty();
    }

    private Optional<JsonNode> dateRange(JsonNode value, String path, List<FieldError> errors) {
        if (!value.isObject()) {
            errors.add(new FieldError(path, "must be {\"start\": \"2026-12-07\", \"end\": \"2026-12-09\"}."));
            return Optional.empty();
        }
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (!Set.of("start", "end", "days").contains(entry.getKey())) {
                errors.add(new FieldError(path + "." + entry.getKey(), "is not part of a date range."));
                return Optional.empty();
            }
        }
        Optional<LocalDate> start = date(value.path("start"), path + ".start", errors);
        Optional<LocalDate> end = date(value.path("end"), path + ".end", errors);
        if (start.isEmpty() || end.isEmpty()) {
            return Optional.empty();
        }
        if (end.get().isBefore(start.get())) {
            errors.add(new FieldError(path + ".end", "must not be before the start."));
            return Optional.empty();
        }
        long days = ChronoUnit.DAYS.between(start.get(), end.get()) + 1;
        if (days > 3660) {
            errors.add(new FieldError(path, "may span at most 3660 days."));
            return Optional.empty();
        }
        ObjectNode node = NODES.objectNode();
        node.put("start", start.get().toString());
        node.put("end", end.get().toString());
        // Calendar days, both ends included: what the requester sees on a calendar.
        node.put("days", days);
        return Optional.of(node);
    }

    private Optional<String> choice(FormField field, JsonNode value, String path, List<FieldError> errors) {
        if (!value.isString() || field.options() == null || !field.options().contains(value.asString())) {
            errors.add(new FieldError(path, "must be one of " + field.options() + "."));
            return Optional.empty();
        }
        return Optional.of(value.asString());
    }

    private Optional<JsonNode> choices(FormField field, JsonNode value, String path, List<FieldError> errors) {
        if (!value.isArray()) {
            errors.add(new FieldError(path, "must be a list of options."));
            return Optional.empty();
        }
        ArrayNode out = NODES.arrayNode();
        Set<String> seen = new HashSet<>();
        int index = 0;
        for (JsonNode item : value) {
            Optional<String> chosen = choice(field, item, path + "[" + index++ + "]", errors);
            if (chosen.isPresent() && seen.add(chosen.get())) {
                out.add(chosen.get());
            }
        }
        if (!sized(field, out.size(), path, errors, field.options() == null ? 0 : field.options().size())) {
            return Optional.empty();
        }
        return Optional.of(out);
    }

    private boolean sized(FormField field, int size, String path, List<FieldError> errors, int hardMax) {
        int min = field.minItems() == null ? (field.required() ? 1 : 0) : field.minItems();
        int max = field.maxItems() == null ? hardMax : Math.min(field.maxItems(), hardMax);
        if (size < min) {
            errors.add(new FieldError(path, "needs at least " + min + " item" + (min == 1 ? "" : "s") + "."));
            return false;
        }
        if (size > max) {
            errors.add(new FieldError(path, "may have at most " + max + " items."));
            return false;
        }
        return true;
    }

    private Optional<UUID> id(JsonNode value, String path, List<FieldError> errors) {
        if (value.isString()) {
            try {
                return Optional.of(UUID.fromString(value.asString()));
            } catch (IllegalArgumentException notAnId) {
                // reported below
            }
        }
        errors.add(new FieldError(path, "must be an id."));
        return Optional.empty();
    }

    private Optional<JsonNode> attachments(FormField field, JsonNode value, String path, List<FieldError> errors) {
        if (!value.isArray()) {
            errors.add(new FieldError(path, "must be a list of attachment ids."));
            return Optional.empty();
        }
        ArrayNode out = NODES.arrayNode();
        int index = 0;
        for (JsonNode item : value) {
            if (!item.isString() || !item.asString().matches("[A-Za-z0-9._:-]{1,200}")) {
                errors.add(new FieldError(path + "[" + index + "]", "must be an attachment id."));
            } else {
                out.add(item.asString());
            }
            index++;
        }
        return sized(field, out.size(), path, errors, MAX_ATTACHMENTS) ? Optional.of(out) : Optional.empty();
    }

    private Optional<JsonNode> table(FormField field, JsonNode value, String path, Checked checked) {
        List<FieldError> errors = checked.errors();
        if (!value.isArray()) {
            errors.add(new FieldError(path, "must be a list of rows."));
            return Optional.empty();
        }
        int before = errors.size();
        if (!sized(field, value.size(), path, errors, MAX_TABLE_ROWS)) {
            return Optional.empty();
        }
        ArrayNode rows = NODES.arrayNode();
        int index = 0;
        for (JsonNode row : value) {
            rows.add(object(field.columns(), row, path + "[" + index++ + "].", checked));
        }
        ObjectNode totals = NODES.objectNode();
        for (FormField column : field.columns()) {
            if (column.type() != FieldType.MONEY) {
                continue;
            }
            String currency = null;
            BigDecimal total = BigDecimal.ZERO;
            for (JsonNode row : rows) {
                JsonNode cell = row.get(column.key());
                if (cell == null) {
                    continue;
                }
                if (currency != null && !currency.equals(cell.get("currency").asString())) {
                    errors.add(new FieldError(path + "." + column.key(), "all rows must use one currency."));
                    break;
                }
                currency = cell.get("currency").asString();
                total = total.add(new BigDecimal(cell.get("amount").asString()));
            }
            if (currency != null) {
                totals.set(column.key(), money(currency, total));
            }
        }
        if (errors.size() > before) {
            return Optional.empty();
        }
        ObjectNode table = NODES.objectNode();
        table.set("rows", rows);
        table.set("totals", totals);
        return Optional.of(table);
    }

    private void checkReferences(Checked checked) {
        if (!checked.users().isEmpty()) {
            Map<UserId, UserProfile> found = users.findAll(
                    checked.users().stream().map(reference -> UserId.of(reference.id())).toList());
            checked.users().forEach(reference -> {
                UserProfile profile = found.get(UserId.of(reference.id()));
                if (profile == null || !profile.active()) {
                    checked.errors().add(new FieldError(reference.path(), "is not an active user."));
                }
            });
        }
        checked.departments().forEach(reference -> {
            if (org.department(DepartmentId.of(reference.id())).isEmpty()) {
                checked.errors().add(new FieldError(reference.path(), "is not a department."));
            }
        });
    }

    private static boolean isBlank(JsonNode value) {
        return (value.isString() && value.asString().isBlank()) || (value.isArray() && value.isEmpty());
    }

    private static String strip(String prefix) {
        return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }
}
