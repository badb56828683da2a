package io.chorus.approval.internal;

import io.chorus.approval.ApprovalProblems;
import io.chorus.approval.ApproverRule;
import io.chorus.approval.Condition;
import io.chorus.approval.FieldType;
import io.chorus.approval.FlowNode;
import io.chorus.approval.FormField;
import io.chorus.approval.FormSchema;
import io.chorus.approval.TemplateDefinition;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.identity.UserProfile;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgDirectory;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ChorusProblem.FieldError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * What a template must be before it is saved: a sound form, a flow whose nodes, approver rules
 * and conditions all refer to things that exist and fit together. Every problem is reported at
 * once, with its path ({@code flow[1].branches[0].when.field}).
 */
@Component
public class TemplateRules {

    static final int MAX_FIELDS = 50;
    static final int MAX_COLUMNS = 20;
    static final int MAX_OPTIONS = 100;
    static final int MAX_NODES = 50;
    static final int MAX_DEPTH = 5;
    static final int MAX_MANAGER_LEVEL = 20;
    static final int MAX_NAMED_APPROVERS = 50;

    private static final Pattern KEY = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,39}");
    private static final Pattern NODE_ID = Pattern.compile("[a-zA-Z][a-zA-Z0-9_-]{0,39}");

    private final RoleStore roles;
    private final UserDirectory users;
    private final OrgDirectory org;

    TemplateRules(RoleStore roles, UserDirectory users, OrgDirectory org) {
        this.roles = roles;
        this.users = users;
        this.org = org;
    }

    public void check(TemplateDefinition definition) {
        List<FieldError> errors = new ArrayList<>();
        text(definition.name(), "name", 1, 100, errors);
        text(definition.category(), "category", 1, 50, errors);
        if (definition.description() != null) {
            text(definition.description(), "description", 0, 2000, errors, true);
        }
        FormSchema form = definition.form() == null ? new FormSchema(List.of()) : definition.form();
        if (definition.form() == null) {
            errors.add(new FieldError("form", "is required."));
        }
        fields(form.fields(), "form.fields", errors, true);
        if (definition.flow().isEmpty()) {
            errors.add(new FieldError("flow", "needs at least one approval node."));
        }
        Set<String> nodeIds = new HashSet<>();
        int[] count = {0, 0};
        nodes(definition.flow(), "flow", form, errors, nodeIds, count, 1);
        if (count[1] == 0 && !definition.flow().isEmpty()) {
            errors.add(new FieldError("flow", "needs at least one approval node."));
        }
        if (count[0] > MAX_NODES) {
            errors.add(new FieldError("flow", "may have at most " + MAX_NODES + " nodes."));
        }
        if (!errors.isEmpty()) {
            throw ChorusProblem.invalidFields(ApprovalProblems.TEMPLATE_INVALID, "The template has invalid parts.",
                    errors);
        }
    }

    private void fields(List<FormField> fields, String path, List<FieldError> errors, boolean topLevel) {
        if (fields.size() > (topLevel ? MAX_FIELDS : MAX_COLUMNS)) {
            errors.add(new FieldError(path, "may have at most " + (topLevel ? MAX_FIELDS : MAX_COLUMNS) + " fields."));
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < fields.size(); i++) {
            FormField field = fields.get(i);
            String at = path + "[" + i + "]";
            if (field == null) {
                errors.add(new FieldError(at, "must be a field."));
                continue;
            }
            if (field.key() == null || !KEY.matcher(field.key()).matches()) {
                errors.add(new FieldError(at + ".key", "must be a letter then up to 39 letters, digits or '_'."));
            } else if (!keys.add(field.key())) {
                errors.add(new FieldError(at + ".key", "is used by another field."));
            }
            text(field.label(), at + ".label", 1, 100, errors);
            if (field.type() == null) {
                errors.add(new FieldError(at + ".type", "is required."));
                continue;
            }
            limits(field, at, errors);
            switch (field.type()) {
                case SINGLE_CHOICE, MULTIPLE_CHOICE -> options(field, at, errors);
                case MONEY -> {
                    if (field.currencies() != null) {
                        field.currencies().stream().filter(code -> !currency(code)).findFirst().ifPresent(code ->
                                errors.add(new FieldError(at + ".currencies", code + " is not an ISO 4217 code.")));
                    }
                }
                case DETAIL_TABLE -> {
                    if (!topLevel) {
                        errors.add(new FieldError(at + ".type", "a detail table cannot hold another table."));
                    } else if (field.columns() == null || field.columns().isEmpty()) {
                        errors.add(new FieldError(at + ".columns", "a detail table needs columns."));
                    } else {
                        fields(field.columns(), at + ".columns", errors, false);
                    }
                }
                default -> {
                }
            }
        }
    }

    private static void limits(FormField field, String at, List<FieldError> errors) {
        if (field.minLength() != null && field.minLength() < 0 || field.maxLength() != null && (field.maxLength() < 1
                || field.maxLength() > FormValidator.DEFAULT_LONG_TEXT_LENGTH)) {
            errors.add(new FieldError(at + ".maxLength", "must be between 1 and "
                    + FormValidator.DEFAULT_LONG_TEXT_LENGTH + "."));
        }
        if (field.minLength() != null && field.maxLength() != null && field.minLength() > field.maxLength()) {
            errors.add(new FieldError(at + ".minLength", "must not exceed maxLength."));
        }
        if (field.min() != null && field.max() != null && field.min().compareTo(field.max()) > 0) {
            errors.add(new FieldError(at + ".min", "must not exceed max."));
        }
        if (field.scale() != null && (field.scale() < 0 || field.scale() > 6)) {
            errors.add(new FieldError(at + ".scale", "must be between 0 and 6."));
        }
        if (field.minItems() != null && field.maxItems() != null && field.minItems() > field.maxItems()
                || field.minItems() != null && field.minItems() < 0) {
            errors.add(new FieldError(at + ".minItems", "must be between 0 and maxItems."));
        }
        if (field.currencies() != null && field.type() != FieldType.MONEY) {
            errors.add(new FieldError(at + ".currencies", "only money fields have currencies."));
        }
    }

    private static void options(FormField field, String at, List<FieldError> errors) {
        if (field.options() == null || field.options().isEmpty()) {
            errors.add(new FieldError(at + ".options", "a choice needs options."));
            return;
        }
        if (field.options().size() > MAX_OPTIONS) {
            errors.add(new FieldError(at + ".options", "may have at most " + MAX_OPTIONS + " options."));
        }
        if (new HashSet<>(field.options()).size() != field.options().size()) {
            errors.add(new FieldError(at + ".options", "must be distinct."));
        }
        for (int i = 0; i < field.options().size(); i++) {
            text(field.options().get(i), at + ".options[" + i + "]", 1, 100, errors);
        }
    }

    /** Counts nodes ({@code count[0]}) and approval nodes ({@code count[1]}) on the way. */
    private void nodes(List<FlowNode> nodes, String path, FormSchema form, List<FieldError> errors,
            Set<String> ids, int[] count, int depth) {
        if (depth > MAX_DEPTH) {
            errors.add(new FieldError(path, "conditions may nest at most " + MAX_DEPTH + " deep."));
            return;
        }
        for (int i = 0; i < nodes.size(); i++) {
            FlowNode node = nodes.get(i);
            String at = path + "[" + i + "]";
            count[0]++;
            if (node == null || node.kind() == null) {
                errors.add(new FieldError(at + ".kind", "is required."));
                continue;
            }
            if (node.id() == null || !NODE_ID.matcher(node.id()).matches()) {
                errors.add(new FieldError(at + ".id", "must be a letter then up to 39 letters, digits, '_' or '-'."));
            } else if (!ids.add(node.id())) {
                errors.add(new FieldError(at + ".id", "is used by another node."));
            }
            text(node.name(), at + ".name", 1, 100, errors);
            switch (node.kind()) {
                case APPROVAL -> {
                    count[1]++;
                    rule(node.approvers(), at + ".approvers", form, errors);
                    if (node.mode() == null) {
                        errors.add(new FieldError(at + ".mode", "is required: SEQUENTIAL, ALL or ANY."));
                    }
                    timeout(node.remindAfter(), at + ".remindAfter", errors);
                    timeout(node.escalateAfter(), at + ".escalateAfter", errors);
                    unexpected(node.notifyOn() != null || node.branches() != null, at, "notifyOn/branches", errors);
                }
                case CC -> {
                    rule(node.approvers(), at + ".approvers", form, errors);
                    if (node.notifyOn() == null) {
                        errors.add(new FieldError(at + ".notifyOn", "is required: SUBMIT, COMPLETION or BOTH."));
                    }
                    unexpected(node.mode() != null || node.branches() != null || node.remindAfter() != null
                            || node.escalateAfter() != null, at, "mode/branches/timeouts", errors);
                }
                case CONDITION -> {
                    unexpected(node.approvers() != null || node.mode() != null || node.notifyOn() != null, at,
                            "approvers/mode/notifyOn", errors);
                    branches(node, at, form, errors, ids, count, depth);
                }
            }
        }
    }

    private void branches(FlowNode node, String at, FormSchema form, List<FieldError> errors, Set<String> ids,
            int[] count, int depth) {
        List<FlowNode.Branch> branches = node.branches() == null ? List.of() : node.branches();
        if (branches.size() < 2) {
            errors.add(new FieldError(at + ".branches", "a condition needs at least two branches, one the default."));
        }
        long defaults = branches.stream().filter(branch -> branch != null && branch.isDefault()).count();
        if (defaults != 1) {
            errors.add(new FieldError(at + ".branches", "exactly one branch must be the default (no 'when')."));
        }
        Set<Integer> priorities = new HashSet<>();
        for (int b = 0; b < branches.size(); b++) {
            FlowNode.Branch branch = branches.get(b);
            String bat = at + ".branches[" + b + "]";
            if (branch == null) {
                errors.add(new FieldError(bat, "must be a branch."));
                continue;
            }
            text(branch.name(), bat + ".name", 1, 100, errors);
            if (!branch.isDefault()) {
                if (!priorities.add(branch.priority())) {
                    errors.add(new FieldError(bat + ".priority", "is used by another branch."));
                }
                condition(branch.when(), bat + ".when", form, errors, 1);
            }
            nodes(branch.nodes(), bat + ".nodes", form, errors, ids, count, depth + 1);
        }
    }

    private void condition(Condition condition, String at, FormSchema form, List<FieldError> errors, int depth) {
        if (depth > MAX_DEPTH) {
            errors.add(new FieldError(at, "conditions may nest at most " + MAX_DEPTH + " deep."));
            return;
        }
        int kinds = (condition.all() != null ? 1 : 0) + (condition.any() != null ? 1 : 0)
                + (condition.field() != null ? 1 : 0);
        if (kinds != 1) {
            errors.add(new FieldError(at, "must be exactly one of 'all', 'any' or a 'field' comparison."));
            return;
        }
        List<Condition> nested = condition.all() != null ? condition.all() : condition.any();
        if (nested != null) {
            if (nested.isEmpty() || nested.size() > 20) {
                errors.add(new FieldError(at, "'all' and 'any' take 1 to 20 conditions."));
            }
            for (int i = 0; i < nested.size(); i++) {
                if (nested.get(i) == null) {
                    errors.add(new FieldError(at + "[" + i + "]", "must be a condition."));
                } else {
                    condition(nested.get(i), at + (condition.all() != null ? ".all[" : ".any[") + i + "]", form,
                            errors, depth + 1);
                }
            }
            return;
        }
        if (condition.op() == null || condition.field() == null) {
            errors.add(new FieldError(at + ".op", "is required."));
            return;
        }
        Optional<Operand> operand = ConditionEvaluator.operand(form, condition.field());
        if (operand.isEmpty()) {
            errors.add(new FieldError(at + ".field", "names no number, money, date range days, choice, table total"
                    + " or requester.department."));
            return;
        }
        switch (operand.get()) {
            case NUMBER -> {
                if (!condition.op().numeric() || condition.number() == null || condition.values() != null) {
                    errors.add(new FieldError(at, "compares a number: use GT, GE, LT, LE, EQ or NE with 'number'."));
                }
                currency(condition, ConditionEvaluator.moneyField(form, condition.field()), at, errors);
            }
            case CHOICE -> {
                if (condition.op().numeric() || condition.values() == null || condition.values().isEmpty()
                        || condition.number() != null) {
                    errors.add(new FieldError(at, "tests a choice: use IN or NOT_IN with 'values'."));
                } else {
                    List<String> options = form.field(condition.field()).map(FormField::options).orElse(List.of());
                    condition.values().stream().filter(value -> !options.contains(value)).findFirst()
                            .ifPresent(value -> errors.add(new FieldError(at + ".values", "'" + value
                                    + "' is not an option of " + condition.field() + ".")));
                }
            }
            case DEPARTMENT -> {
                if (condition.op().numeric() || condition.values() == null || condition.values().isEmpty()
                        || condition.number() != null) {
                    errors.add(new FieldError(at, "tests the requester's department: use IN or NOT_IN with"
                            + " department ids as 'values'."));
                } else {
                    for (String value : condition.values()) {
                        Optional<UUID> id = uuid(value);
                        if (id.isEmpty() || org.department(DepartmentId.of(id.get())).isEmpty()) {
                            errors.add(new FieldError(at + ".values", "'" + value + "' is not a department."));
                        }
                    }
                }
            }
        }
    }

    /** Money is compared in one currency: the condition's, or the only one the field allows. */
    private static void currency(Condition condition, Optional<FormField> money, String at, List<FieldError> errors) {
        if (money.isEmpty()) {
            if (condition.currency() != null) {
                errors.add(new FieldError(at + ".currency", "only a comparison of money takes a currency."));
            }
            return;
        }
        List<String> allowed = money.get().currencies();
        if (condition.currency() == null) {
            if (allowed == null || allowed.size() != 1) {
                errors.add(new FieldError(at + ".currency", "is required: " + condition.field()
                        + " may hold several currencies."));
            }
        } else if (!currency(condition.currency()) || allowed != null && !allowed.contains(condition.currency())) {
            errors.add(new FieldError(at + ".currency", condition.currency() + " is not a currency "
                    + condition.field() + " allows."));
        }
    }

    enum Operand {
        NUMBER, CHOICE, DEPARTMENT
    }

    private void rule(ApproverRule rule, String at, FormSchema form, List<FieldError> errors) {
        if (rule == null || rule.type() == null) {
            errors.add(new FieldError(at + ".type", "is required."));
            return;
        }
        switch (rule.type()) {
            case USERS -> {
                if (rule.userIds() == null || rule.userIds().isEmpty() || rule.userIds().size() > MAX_NAMED_APPROVERS) {
                    errors.add(new FieldError(at + ".userIds", "names 1 to " + MAX_NAMED_APPROVERS + " users."));
                } else {
                    Map<UserId, UserProfile> found = users.findAll(rule.userIds().stream().map(UserId::of).toList());
                    rule.userIds().stream().filter(id -> found.get(UserId.of(id)) == null).findFirst().ifPresent(id ->
                            errors.add(new FieldError(at + ".userIds", id + " is not a user.")));
                }
            }
            case ROLE -> {
                if (rule.roleId() == null || !roles.exists(rule.roleId())) {
                    errors.add(new FieldError(at + ".roleId", "is not an approval role."));
                }
            }
            case MANAGER -> {
                if (rule.level() == null || rule.level() < 1 || rule.level() > MAX_MANAGER_LEVEL) {
                    errors.add(new FieldError(at + ".level", "must be between 1 and " + MAX_MANAGER_LEVEL + "."));
                }
            }
            case DEPARTMENT_HEAD -> {
                if (rule.departmentId() != null && org.department(DepartmentId.of(rule.departmentId())).isEmpty()) {
                    errors.add(new FieldError(at + ".departmentId", "is not a department."));
                }
            }
            case FORM_FIELD -> {
                if (rule.field() == null || form.field(rule.field()).map(FormField::type)
                        .filter(type -> type == FieldType.USER).isEmpty()) {
                    errors.add(new FieldError(at + ".field", "must name a USER field of the form."));
                }
            }
            case CHOSEN_BY_REQUESTER -> {
                if (rule.maxChosen() != null && (rule.maxChosen() < 1 || rule.maxChosen() > MAX_NAMED_APPROVERS)) {
                    errors.add(new FieldError(at + ".maxChosen", "must be between 1 and " + MAX_NAMED_APPROVERS + "."));
                }
            }
        }
    }

    private static void timeout(Duration timeout, String at, List<FieldError> errors) {
        if (timeout != null && (timeout.isNegative() || timeout.compareTo(Duration.ofMinutes(1)) < 0
                || timeout.compareTo(Duration.ofDays(365)) > 0)) {
            errors.add(new FieldError(at, "must be between one minute and 365 days (ISO 8601, e.g. PT24H)."));
        }
    }

    private static void unexpected(boolean present, String at, String what, List<FieldError> errors) {
        if (present) {
            errors.add(new FieldError(at, "this kind of node takes no " + what + "."));
        }
    }

    private static void text(String value, String at, int min, int max, List<FieldError> errors) {
        text(value, at, min, max, errors, false);
    }

    private static void text(String value, String at, int min, int max, List<FieldError> errors,
            boolean multiLine) {
        if (value == null || value.strip().length() < min) {
            errors.add(new FieldError(at, "is required."));
        } else if (value.length() > max) {
            errors.add(new FieldError(at, "may have at most " + max + " characters."));
        } else if (multiLine ? !PlainText.multiLine(value) : !PlainText.singleLine(value)) {
            errors.add(new FieldError(at, "must not contain control characters."));
        }
    }

    private static boolean currency(String code) {
        try {
            java.util.Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException | NullPointerException unknown) {
            return false;
        }
    }

    static Optional<UUID> uuid(String value) {
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException | NullPointerException notAnId) {
            return Optional.empty();
        }
    }
}
