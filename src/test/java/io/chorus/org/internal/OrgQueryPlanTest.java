package io.chorus.org.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The directory's reads use their indexes: with 50,000 employees, their memberships and
 * department heads (statistics analysed), the plans of exactly the SQL the stores run start
 * from an index, not from a scan of all employees or memberships.
 */
@ChorusIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrgQueryPlanTest {

    private static final int EMPLOYEES = 50_000;

    @Autowired
    JdbcClient jdbc;

    private final UUID department = UUID.randomUUID();

    @BeforeAll
    void loadAVolumeWorthPlanningFor() {
        jdbc.sql("INSERT INTO org.department (id, name, created_at) VALUES (:d, 'Plan department', now())")
                .param("d", department).update();
        jdbc.sql("""
                INSERT INTO org.department (id, name, created_at)
                SELECT gen_random_uuid(), 'plan dept ' || g, now() FROM generate_series(1, 500) g
                """).update();
        jdbc.sql("""
                INSERT INTO org.employee (user_id, username, display_name, active, search_keys, version, updated_at)
                SELECT gen_random_uuid(), 'planuser' || g, 'Plan Person ' || g, true,
                       'planuser' || g || ' plan person ' || g || ' pp', 1, now()
                FROM generate_series(1, :n) g
                """).param("n", EMPLOYEES).update();
        // Everyone in one of the 500 small departments, with a title; a thousand in the big one.
        jdbc.sql("""
                INSERT INTO org.membership (department_id, user_id, title, is_primary, joined_at)
                SELECT d.id, e.user_id, 'Plan title ' || (row_number() OVER ()), true, now()
                FROM (SELECT user_id, row_number() OVER (ORDER BY user_id) AS n FROM org.employee
                      WHERE username LIKE 'planuser%') e
                JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM org.department WHERE name LIKE 'plan dept %') d
                  ON d.n = e.n % 500 + 1
                """).update();
        jdbc.sql("""
                INSERT INTO org.membership (department_id, user_id, is_primary, joined_at)
                SELECT :d, user_id, false, now() FROM org.employee WHERE username LIKE 'planuser%' LIMIT 1000
                """).param("d", department).update();
        // Each small department has a head.
        jdbc.sql("""
                INSERT INTO org.department_head (department_id, user_id, appointed_at)
                SELECT DISTINCT ON (m.department_id) m.department_id, m.user_id, now()
                FROM org.membership m JOIN org.department d ON d.id = m.department_id AND d.name LIKE 'plan dept %'
                ORDER BY m.department_id, m.user_id
                """).update();
        jdbc.sql("ANALYZE org.department_head").update();
        jdbc.sql("ANALYZE org.employee").update();
        jdbc.sql("ANALYZE org.membership").update();
        jdbc.sql("ANALYZE org.department").update();
    }

    @Test
    void directorySearchUsesTheTrigramIndexes() {
        Map<String, Object> params = new HashMap<>();
        params.put("exact", "% planuser4242 %");
        params.put("prefix", "% planuser4242%");
        params.put("contains", "%planuser4242%");
        params.put("afterRank", -1);
        params.put("afterUsername", "");
        params.put("afterId", new UUID(Long.MIN_VALUE, Long.MIN_VALUE));
        params.put("limit", 21);
        String plan = explain(EmployeeStore.SEARCH_SQL, params);
        assertThat(plan).contains("employee_search").contains("membership_title_search")
                .doesNotContain("Seq Scan on employee").doesNotContain("Seq Scan on membership");
    }

    @Test
    void membersOfADepartmentStartFromItsMemberships() {
        Map<String, Object> params = new HashMap<>();
        params.put("departments", new UUID[] {department});
        params.put("afterUsername", "");
        params.put("afterId", new UUID(Long.MIN_VALUE, Long.MIN_VALUE));
        params.put("limit", 51);
        String plan = explain(EmployeeStore.MEMBERS_SQL, params);
        // A thousand members are sorted by username in memory; joining their entries by hash over
        // the employee table is the planner's (cheaper) choice at that size, so only memberships are checked.
        assertThat(plan).contains("membership_pkey").doesNotContain("Seq Scan on membership");
    }

    @Test
    void aManagerIsFoundFromTheUsersOwnMemberships() {
        UUID someone = jdbc.sql("SELECT user_id FROM org.employee WHERE username = 'planuser77'").query(UUID.class).single();
        String plan = explain(EmployeeStore.MANAGER_SQL, Map.of("user", someone));
        assertThat(plan).contains("membership_one_primary").doesNotContain("Seq Scan on membership")
                .doesNotContain("Seq Scan on employee");
        // No step expects to read anything like the whole employee table (a full index scan would).
        assertThat(java.util.regex.Pattern.compile("rows=(\\d+)").matcher(plan).results()
                .mapToInt(match -> Integer.parseInt(match.group(1))).max().orElse(0)).isLessThan(1_000);
    }

    private String explain(String sql, Map<String, ?> params) {
        String plan = String.join("\n", jdbc.sql("EXPLAIN " + sql).params(params).query(String.class).list());
        System.out.println(plan);
        return plan;
    }
}
