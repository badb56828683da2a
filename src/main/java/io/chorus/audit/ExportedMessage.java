package io.chorus.audit;

import io.chorus.chat.ArchivedMessage;
import java.util.UUID;

/** A message in an eDiscovery export: as chat archives it, with the sender's primary department now. */
public record ExportedMessage(ArchivedMessage message, UUID senderDepartmentId, String senderDepartmentName) {
}
