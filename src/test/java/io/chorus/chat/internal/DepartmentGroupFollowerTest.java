package io.chorus.chat.internal;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.identity.UserId;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgEvents;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;

/** An org event delivered again (the publication registry resubmits incomplete ones) changes nothing. */
@ChorusIntegrationTest
class DepartmentGroupFollowerTest {

    private static final Duration SOON = Duration.ofSeconds(10);

    @Autowired
    TestClients clients;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DepartmentGroupFollower follower;

    @Test
    void replayingAnOrgEventChangesNothing() {
        RestApi admin = clients.rest(clients.orgAdmin());
        String department = admin.post("/api/v1/org/departments", body("name", "Replay " + UUID.randomUUID()
                .toString().substring(0, 6))).status(201).json().get("id").asString();
        TestUser member = clients.user("member");
        String group = admin.post("/api/v1/department-groups", body("departmentId", department,
                "includeSubDepartments", false)).status(201).json().get("conversationId").asString();
        admin.exchange(HttpMethod.PUT, "/api/v1/org/departments/" + department + "/members/" + member.id(), body())
                .status(201);
        await().atMost(SOON).until(() -> members(group).contains(member.id()));
        long historyBefore = history(group);

        var joined = new OrgEvents.EmployeeJoinedDepartment(UserId.of(member.id()),
                DepartmentId.of(UUID.fromString(department)), null, true, null, Instant.now());
        follower.on(joined);
        follower.on(joined);

        assertThat(history(group)).isEqualTo(historyBefore);
        assertThat(members(group)).containsExactly(member.id());

        // An old "joined" replayed after the user left does not bring them back either.
        admin.delete("/api/v1/org/departments/" + department + "/members/" + member.id()).status(204);
        await().atMost(SOON).until(() -> members(group).isEmpty());
        follower.on(joined);
        assertThat(members(group)).isEmpty();
    }

    private List<UUID> members(String group) {
        return jdbc.sql("SELECT user_id FROM chat.member WHERE conversation_id = :c").param("c", UUID.fromString(group))
                .query(UUID.class).list();
    }

    private long history(String group) {
        return jdbc.sql("SELECT count(*) FROM chat.membership_change WHERE conversation_id = :c")
                .param("c", UUID.fromString(group)).query(Long.class).single();
    }
}
