package io.chorus.approval;

import java.time.Duration;
import java.util.List;

/**
 * One node of a template's flow. An {@code APPROVAL} node names its approvers ({@code approvers})
 * and how they decide ({@code mode}), with optional timeouts; a {@code CC} node names people to
 * notify ({@code approvers}) and when ({@code notifyOn}); a {@code CONDITION} node picks one of
 * its {@code branches}. Fields that do not belong to the node's kind are null.
 */
public record FlowNode(String id, Kind kind, String name, ApproverRule approvers, Mode mode, Duration remindAfter,
        Duration escalateAfter, CcMoment notifyOn, List<Branch> branches) {

    public FlowNode {
        branches = branches == null ? null : List.copyOf(branches);
    }

    public enum Kind {
        APPROVAL, CC, CONDITION
    }

    /** How the approvers of one approval node decide. */
    public enum Mode {
        /** One after another, in the order the rule resolved them. */
        SEQUENTIAL,
        /** 会签: every approver must approve. */
        ALL,
        /** 或签: the first decision wins. */
        ANY
    }

    /** When a CC node's recipients hear of the request. */
    public enum CcMoment {
        SUBMIT, COMPLETION, BOTH;

        public boolean onSubmit() {
            return this != COMPLETION;
        }

        public boolean onCompletion() {
            return this != SUBMIT;
        }
    }

    /**
     * One way out of a condition node. Branches are tried by ascending {@code priority}; the first
     * whose condition holds is taken, else the branch without a condition (the default).
     */
    public record Branch(String name, int priority, Condition when, List<FlowNode> nodes) {

        public Branch {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isDefault() {
            return when == null;
        }
    }

    public static FlowNode approval(String id, String name, ApproverRule approvers, Mode mode) {
        return new FlowNode(id, Kind.APPROVAL, name, approvers, mode, null, null, null, null);
    }

    public static FlowNode cc(String id, String name, ApproverRule recipients, CcMoment notifyOn) {
        return new FlowNode(id, Kind.CC, name, recipients, null, null, null, notifyOn, null);
    }

    public static FlowNode condition(String id, String name, List<Branch> branches) {
        return new FlowNode(id, Kind.CONDITION, name, null, null, null, null, null, branches);
    }
}
