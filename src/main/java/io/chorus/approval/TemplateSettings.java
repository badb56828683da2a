package io.chorus.approval;

/**
 * How a template's flow treats two situations DingTalk users configure per template.
 *
 * @param requesterAsApprover what happens when the requester is among a node's approvers: they
 *     are skipped ({@code SKIP}) or replaced by their own manager ({@code MANAGER}); never may they
 *     approve their own request
 * @param dedupeConsecutive 去重: an approver who approved the previous approval node is
 *     auto-approved on the next one
 */
public record TemplateSettings(RequesterAsApprover requesterAsApprover, boolean dedupeConsecutive) {

    public TemplateSettings {
        requesterAsApprover = requesterAsApprover == null ? RequesterAsApprover.SKIP : requesterAsApprover;
    }

    public static TemplateSettings defaults() {
        return new TemplateSettings(RequesterAsApprover.SKIP, false);
    }

    public enum RequesterAsApprover {
        SKIP, MANAGER
    }
}
