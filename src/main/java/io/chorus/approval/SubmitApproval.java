package io.chorus.approval;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * File a request. {@code requesterId} is null when callers file for themselves; an account with
 * the integration role names the employee it files for. {@code chosenApprovers} holds, by node
 * id, the people the requester picked for CHOSEN_BY_REQUESTER nodes. {@code resubmitOf} links a
 * resubmission to the rejected or withdrawn request it replaces.
 */
public record SubmitApproval(UUID templateId, JsonNode form, Map<String, List<UUID>> chosenApprovers,
        UUID requesterId, UUID resubmitOf) {

    public SubmitApproval {
        chosenApprovers = chosenApprovers == null ? Map.of() : Map.copyOf(chosenApprovers);
    }
}
