package io.chorus.approval;

import java.util.List;
import java.util.UUID;

/** An approval role (角色) such as "HR" or "Treasury", and who holds it. */
public record ApprovalRoleView(UUID id, String name, List<UUID> holderIds) {
}
