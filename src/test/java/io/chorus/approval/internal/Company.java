package io.chorus.approval.internal;

import io.chorus.approval.ApprovalFixtures;
import io.chorus.approval.Approvals;
import io.chorus.approval.FieldType;
import io.chorus.approval.FlowNode;
import io.chorus.approval.FormField;
import io.chorus.approval.FormSchema;
import io.chorus.approval.InstanceView;
import io.chorus.approval.SubmitApproval;
import io.chorus.approval.TemplateDefinition;
import io.chorus.approval.TemplateSettings;
import io.chorus.approval.TemplateView;
import io.chorus.approval.Templates;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.Role;
import io.chorus.identity.UserId;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgChart;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small company for the concurrency, timer and state-machine tests: people made through the
 * real token path, one department, templates and requests through the modules' APIs, and the
 * rows a test counts to prove something happened exactly once. Each test builds its own people
 * and templates, so tests never see each other's data.
 */
final class Company {

    private final TestClients clients;
    private final OrgChart chart;
    private final Templates templates;
    private final Approvals approvals;
    private final JdbcClient jdbc;
    private final TestUser admin;
    private final DepartmentId department;

    Company(TestClients clients, OrgChart chart, Templates templates, Approvals approvals, JdbcClient jdbc) {
        this.clients = clients;
        this.chart = chart;
        this.templates = templates;
        this.approvals = approvals;
        this.jdbc = jdbc;
        this.admin = clients.orgAdmin();
        this.department = chart.createDepartment("Races " + UUID.randomUUID().toString().substring(0, 6), null, 0,
                null, null).id();
    }

    /** A new employee of the company's department. */
    TestUser person(String prefix) {
        TestUser user = clients.user(prefix);
        chart.setMembership(UserId.of(user.id()), department, "Staff", true, null);
        return user;
    }

    void manager(TestUser user, TestUser manager) {
        chart.setManager(UserId.of(user.id()), UserId.of(manager.id()), null);
    }

    CurrentUser admin() {
        return ApprovalFixtures.as(admin, Role.ORG_ADMIN);
    }

    TemplateView template(List<FlowNode> flow) {
        return templates.create(admin(), new TemplateDefinition("Leave " + UUID.randomUUID().toString().substring(0, 6),
                "HR", null, new FormSchema(List.of(FormField.of("reason", "Reason", FieldType.TEXT, true))), flow,
                TemplateSettings.defaults()));
    }

    InstanceView submit(TestUser requester, TemplateView template) {
        return approvals.submit(ApprovalFixtures.as(requester), new SubmitApproval(template.id(),
                JsonMapper.shared().readTree("{\"reason\": \"Family visit\"}"), Map.of(), null, null), null).instance();
    }

    /** The instance as an org_admin sees it: everything, whoever took part. */
    InstanceView reload(UUID instanceId) {
        return approvals.get(admin(), instanceId);
    }

    static long count(InstanceView instance, String action) {
        return instance.timeline().stream().filter(entry -> entry.action().equals(action)).count();
    }

    /** Timeline rows as stored, not as the aggregate sees them. */
    long timelineRows(UUID instanceId, String action) {
        return jdbc.sql("SELECT count(*) FROM approval.timeline_entry WHERE instance_id = :id AND action = :action")
                .param("id", instanceId).param("action", action).query(Long.class).single();
    }

    /**
     * How often an event of this type about the instance was published, per listener of the
     * registry: an event published twice shows up as 2 for every listener.
     */
    Map<String, Long> publications(UUID instanceId, Class<?> event) {
        return jdbc.sql("""
                SELECT listener_id, count(*) AS n FROM event_publication
                WHERE event_type = :type AND serialized_event LIKE :instance
                GROUP BY listener_id
                """).param("type", event.getName()).param("instance", "%" + instanceId + "%")
                .query((row, index) -> Map.entry(row.getString("listener_id"), row.getLong("n"))).list().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
