package io.chorus.approval;

import java.util.List;

/** What an org_admin writes to create a template or publish its next version. */
public record TemplateDefinition(String name, String category, String description, FormSchema form,
        List<FlowNode> flow, TemplateSettings settings) {

    public TemplateDefinition {
        flow = flow == null ? List.of() : List.copyOf(flow);
        settings = settings == null ? TemplateSettings.defaults() : settings;
    }
}
