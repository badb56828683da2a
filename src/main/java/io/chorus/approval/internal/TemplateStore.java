package io.chorus.approval.internal;

import io.chorus.approval.FlowNode;
import io.chorus.approval.FormSchema;
import io.chorus.approval.TemplateDefinition;
import io.chorus.approval.TemplateSettings;
import io.chorus.approval.TemplateView;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Templates and their published versions. Publishing bumps the template's current version with
 * an UPDATE that locks its row, so two editors publishing at once get two consecutive versions.
 */
@Component
public class TemplateStore {

    private static final String VIEW = """
            SELECT t.id, v.version, v.name, v.category, v.description, t.enabled, v.form::text AS form,
                   v.flow::text AS flow, v.settings::text AS settings, t.created_by, t.created_at,
                   v.published_by, v.published_at
            FROM approval.template t
            JOIN approval.template_version v ON v.template_id = t.id
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    TemplateStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public UUID create(TemplateDefinition definition, UUID by, Instant now) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO approval.template (id, name, category, enabled, current_version, created_by, created_at,
                                               updated_at, version)
                VALUES (:id, :name, :category, true, 1, :by, :now, :now, 0)
                """)
                .param("id", id).param("name", definition.name().strip())
                .param("category", definition.category().strip()).param("by", by)
                .param("now", Timestamp.from(now)).update();
        insertVersion(id, 1, definition, by, now);
        return id;
    }

    /** The new version's number, or empty when there is no such template. */
    public Optional<Integer> publish(UUID id, TemplateDefinition definition, UUID by, Instant now) {
        Optional<Integer> version = jdbc.sql("""
                UPDATE approval.template
                SET current_version = current_version + 1, name = :name, category = :category, updated_at = :now,
                    version = version + 1
                WHERE id = :id
                RETURNING current_version
                """)
                .param("id", id).param("name", definition.name().strip())
                .param("category", definition.category().strip()).param("now", Timestamp.from(now))
                .query(Integer.class).optional();
        version.ifPresent(number -> insertVersion(id, number, definition, by, now));
        return version;
    }

    public boolean setEnabled(UUID id, boolean enabled, Instant now) {
        return jdbc.sql("UPDATE approval.template SET enabled = :enabled, updated_at = :now, version = version + 1"
                        + " WHERE id = :id")
                .param("id", id).param("enabled", enabled).param("now", Timestamp.from(now)).update() == 1;
    }

    public Optional<TemplateView> current(UUID id) {
        return jdbc.sql(VIEW + " WHERE t.id = :id AND v.version = t.current_version").param("id", id)
                .query((rs, n) -> view(rs)).optional();
    }

    public Optional<TemplateView> version(UUID id, int version) {
        return jdbc.sql(VIEW + " WHERE t.id = :id AND v.version = :version").param("id", id)
                .param("version", version).query((rs, n) -> view(rs)).optional();
    }

    public List<TemplateView> all(boolean includeDisabled) {
        return jdbc.sql(VIEW + " WHERE v.version = t.current_version AND (t.enabled OR :all)"
                        + " ORDER BY v.category, v.name, t.id")
                .param("all", includeDisabled).query((rs, n) -> view(rs)).list();
    }

    private void insertVersion(UUID id, int version, TemplateDefinition definition, UUID by, Instant now) {
        jdbc.sql("""
                INSERT INTO approval.template_version (template_id, version, name, category, description, form, flow,
                                                       settings, published_by, published_at)
                VALUES (:id, :version, :name, :category, :description, :form::jsonb, :flow::jsonb, :settings::jsonb,
                        :by, :now)
                """)
                .param("id", id).param("version", version).param("name", definition.name().strip())
                .param("category", definition.category().strip()).param("description", definition.description())
                .param("form", json.writeValueAsString(definition.form()))
                .param("flow", json.writeValueAsString(definition.flow()))
                .param("settings", json.writeValueAsString(definition.settings()))
                .param("by", by).param("now", Timestamp.from(now)).update();
    }

    private TemplateView view(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new TemplateView(rs.getObject("id", UUID.class), rs.getInt("version"), rs.getString("name"),
                rs.getString("category"), rs.getString("description"), rs.getBoolean("enabled"),
                json.readValue(rs.getString("form"), FormSchema.class),
                json.readValue(rs.getString("flow"), new TypeReference<List<FlowNode>>() {
                }),
                json.readValue(rs.getString("settings"), TemplateSettings.class),
                rs.getObject("created_by", UUID.class), rs.getTimestamp("created_at").toInstant(),
                rs.getObject("published_by", UUID.class), rs.getTimestamp("published_at").toInstant());
    }
}
