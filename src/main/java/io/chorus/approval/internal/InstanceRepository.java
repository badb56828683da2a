package io.chorus.approval.internal;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface InstanceRepository extends JpaRepository<ApprovalInstance, UUID> {

    @Query("select distinct t.instance.id from ApprovalTask t where t.approverId = :approver"
            + " and t.state in (io.chorus.approval.internal.ApprovalTask.State.WAITING,"
            + " io.chorus.approval.internal.ApprovalTask.State.PENDING)")
    List<UUID> withLiveTasksOf(UUID approver);

    @Query("select t.instance.id from ApprovalTask t where t.id = :taskId")
    java.util.Optional<UUID> instanceOfTask(UUID taskId);
}
