package io.chorus.approval.internal;

import io.chorus.approval.FlowNode;
import io.chorus.approval.TemplateSettings;
import java.util.List;

/**
 * The route one instance follows, fixed at submit time: the approval and CC nodes of the
 * branches its conditions chose, in order, and the template version's settings. Stored with the
 * instance, so a later template version never changes a running request.
 */
record Plan(List<FlowNode> steps, TemplateSettings settings) {

    Plan {
        steps = List.copyOf(steps);
    }

    FlowNode step(int index) {
        return steps.get(index);
    }
}
