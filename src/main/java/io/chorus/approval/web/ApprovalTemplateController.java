package io.chorus.approval.web;

import io.chorus.approval.ApproverRule;
import io.chorus.approval.Condition;
import io.chorus.approval.FieldType;
import io.chorus.approval.FlowNode;
import io.chorus.approval.TemplateSettings;
import io.chorus.approval.Templates;
import io.chorus.identity.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Approval templates: everyone reads the enabled ones to fill in their forms, org_admins write
 * them. The definition travels with the field names of the module's own records; its rules
 * (keys, limits, flow, conditions) are checked by the module, which lists every invalid part.
 */
@RestController
@RequestMapping("/api/v1/approvals/templates")
@PreAuthorize("hasAnyRole('employee', 'integration')")
class ApprovalTemplateController {

    private final Templates templates;
    private final ApprovalBodies bodies;

    ApprovalTemplateController(Templates templates, ApprovalBodies bodies) {
        this.templates = templates;
        this.bodies = bodies;
    }

    /**
     * What an org_admin writes to create a template or publish its next version. Flags and a
     * branch's priority may be left out (false, 0); answers always carry them.
     */
    record Definition(String name, String category, String description, @Valid Form form,
            List<@NotNull @Valid Node> flow, Settings settings) {
    }

    record Form(List<@NotNull @Valid Field> fields) {
    }

    record Field(String key, String label, FieldType type, Boolean required, Integer minLength, Integer maxLength,
            BigDecimal min, BigDecimal max, Integer scale, List<@NotNull String> options, Integer minItems,
            Integer maxItems, List<@NotNull String> currencies, List<@NotNull @Valid Field> columns) {
    }

    /** Durations are ISO-8601 ({@code PT48H}). */
    record Node(String id, FlowNode.Kind kind, String name, @Valid Approvers approvers, FlowNode.Mode mode,
            Duration remindAfter, Duration escalateAfter, FlowNode.CcMoment notifyOn,
            List<@NotNull @Valid Branch> branches) {
    }

    record Branch(String name, Integer priority, @Valid When when, List<@NotNull @Valid Node> nodes) {
    }

    record Approvers(ApproverRule.Type type, List<@NotNull UUID> userIds, UUID roleId, Integer level, UUID departmentId,
            String field, Integer maxChosen) {
    }

    /** A branch condition, as {@link Condition} describes it. */
    record When(List<@NotNull @Valid When> all, List<@NotNull @Valid When> any, String field,
            Condition.Operator op, BigDecimal number, List<@NotNull String> values, String currency) {
    }

    record Settings(TemplateSettings.RequesterAsApprover requesterAsApprover, Boolean dedupeConsecutive) {
    }

    /** A template at one of its versions. */
    record Template(UUID id, int version, String name, String category, String description, boolean enabled,
            Form form, List<Node> flow, Settings settings, UUID createdBy, Instant createdAt, UUID publishedBy,
            Instant publishedAt) {
    }

    record TemplateList(List<Template> items) {
    }

    /** Enabled templates by name; with {@code includeDisabled} (org_admins only) the disabled ones too. */
    @GetMapping
    TemplateList list(@AuthenticationPrincipal CurrentUser me,
            @RequestParam(defaultValue = "false") boolean includeDisabled) {
        return new TemplateList(templates.list(me, includeDisabled).stream().map(bodies::template).toList());
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('org_admin')")
    Template create(@AuthenticationPrincipal CurrentUser me, @Valid @RequestBody Definition definition) {
        return bodies.template(templates.create(me, bodies.definition(definition)));
    }

    @GetMapping("/{templateId}")
    Template get(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID templateId) {
        return bodies.template(templates.get(me, templateId));
    }

    /** Publishes the definition as the next version; requests already running keep theirs. */
    @PutMapping("/{templateId}")
    @PreAuthorize("hasRole('org_admin')")
    Template publish(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID templateId,
            @Valid @RequestBody Definition definition) {
        return bodies.template(templates.publish(me, templateId, bodies.definition(definition)));
    }

    @GetMapping("/{templateId}/versions/{version}")
    Template version(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID templateId,
            @PathVariable @Min(1) int version) {
        return bodies.template(templates.version(me, templateId, version));
    }

    @PostMapping("/{templateId}/disable")
    @PreAuthorize("hasRole('org_admin')")
    Template disable(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID templateId) {
        return bodies.template(templates.setEnabled(me, templateId, false));
    }

    @PostMapping("/{templateId}/enable")
    @PreAuthorize("hasRole('org_admin')")
    Template enable(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID templateId) {
        return bodies.template(templates.setEnabled(me, templateId, true));
    }
}
