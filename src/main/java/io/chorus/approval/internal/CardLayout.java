package io.chorus.approval.internal;

import io.chorus.approval.FlowNode;
import io.chorus.approval.FormField;
import io.chorus.approval.FormSchema;
import io.chorus.chat.Card;
import io.chorus.identity.UserProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one person's card of a request shows: the title, the state, the form's values as plain
 * text, who decides now, and the actions this person may take (approve and reject for a pending
 * approver, withdraw for the requester). Plain data: chat renders it, nothing is markup.
 */
final class CardLayout {

    static final int MAX_FIELDS = 12;
    static final int MAX_VALUE = 300;

    private CardLayout() {
    }

    static Card render(ApprovalInstance instance, FormSchema form, UUID viewer, Map<UUID, UserProfile> people,
            Map<UUID, String> departments) {
        List<Card.Field> fields = new ArrayList<>();
        fields.add(new Card.Field("Requester", name(instance.requesterId(), people)));
        JsonNode values = JsonMapper.shared().readTree(instance.form());
        for (FormField field : form.fields()) {
            JsonNode value = values.get(field.key());
            if (value != null && fields.size() < MAX_FIELDS) {
                fields.add(new Card.Field(field.label(), clip(text(field, value, people, departments))));
            }
        }
        List<Card.Action> actions = new ArrayList<>();
        Optional<ApprovalTask> mine = instance.tasks().stream()
                .filter(task -> task.approverId().equals(viewer) && task.state() == ApprovalTask.State.PENDING)
                .findFirst();
        if (instance.state() == ApprovalInstance.State.PENDING) {
            Integer step = instance.currentStep();
            if (step != null) {
                FlowNode node = instance.plan().step(step);
                String deciders = String.join(", ", instance.pendingApprovers().stream()
                        .map(id -> name(id, people)).toList());
                fields.add(new Card.Field("Current step",
                        clip(node.name() + (deciders.isEmpty() ? "" : " (" + deciders + ")"))));
            }
            mine.ifPresent(task -> {
                String base = "/api/v1/approvals/tasks/" + task.id();
                actions.add(new Card.Action("approve", "Approve", Card.ActionStyle.PRIMARY, task.id().toString(), "POST",
                        base + "/approve", new Card.Input("comment", "Comment", false, 2000)));
                actions.add(new Card.Action("reject", "Reject", Card.ActionStyle.DANGER, task.id().toString(), "POST",
                        base + "/reject", new Card.Input("reason", "Reason", true, 2000)));
            });
            if (viewer.equals(instance.requesterId())) {
                actions.add(new Card.Action("withdraw", "Withdraw", Card.ActionStyle.DEFAULT, instance.id().toString(),
                        "POST", "/api/v1/approvals/instances/" + instance.id() + "/withdraw", null));
            }
        }
        return new Card(clip(instance.title()), status(instance), fields, actions);
    }

    private static String status(ApprovalInstance instance) {
        return switch (instance.state()) {
            case PENDING -> "Pending";
            case APPROVED -> "Approved";
            case REJECTED -> "Rejected";
            case WITHDRAWN -> "Withdrawn";
        };
    }

    private static String text(FormField field, JsonNode value, Map<UUID, UserProfile> people,
            Map<UUID, String> departments) {
        return switch (field.type()) {
            case MONEY -> value.get("currency").asString() + " " + value.get("amount").asString();
            case DATE_RANGE -> value.get("start").asString() + " – " + value.get("end").asString() + " ("
                    + value.get("days").asLong() + (value.get("days").asLong() == 1 ? " day)" : " days)");
            case MULTIPLE_CHOICE -> {
                List<String> chosen = new ArrayList<>();
                value.forEach(item -> chosen.add(item.asString()));
                yield String.join(", ", chosen);
            }
            case USER -> name(UUID.fromString(value.asString()), people);
            case ATTACHMENT -> value.size() + (value.size() == 1 ? " attachment" : " attachments");
            case DETAIL_TABLE -> {
                StringBuilder summary = new StringBuilder(value.get("rows").size() + " rows");
                value.get("totals").properties().forEach(total -> summary.append(", total ")
                        .append(total.getValue().get("currency").asString()).append(' ')
                        .append(total.getValue().get("amount").asString()));
                yield summary.toString();
            }
            case NUMBER -> value.decimalValue().toPlainString();
            case DEPARTMENT -> departments.getOrDefault(UUID.fromString(value.asString()), value.asString());
            default -> value.asString();
        };
    }

    private static String name(UUID user, Map<UUID, UserProfile> people) {
        UserProfile profile = people.get(user);
        return profile == null ? user.toString() : profile.displayName();
    }

    private static String clip(String text) {
        return PlainText.clip(text, MAX_VALUE);
    }
}
