package io.chorus.org.internal;

import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgChart;
import io.chorus.org.OrgDirectory;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Local mode: a small org chart for the demo users, so the tree, manager chains and department
 * groups have something to show. Seeds only into an empty chart, so restarts keep your edits.
 */
@Component
@ConditionalOnProperty(name = "chorus.org.demo-chart", havingValue = "true")
@Order(1)
class DemoOrgChart implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoOrgChart.class);

    private final OrgChart chart;
    private final OrgDirectory directory;
    private final UserDirectory users;

    DemoOrgChart(OrgChart chart, OrgDirectory directory, UserDirectory users) {
        this.chart = chart;
        this.directory = directory;
        this.users = users;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        if (!directory.tree().isEmpty()) {
            return;
        }
        Map<String, UserId> people = users.findActiveByUsernames(
                List.of("alice", "bob", "erin", "carol", "dave", "zhangsan", "lisi"));
        if (people.size() < 7) {
            log.warn("Demo org chart skipped: not all demo users exist ({})", people.keySet());
            return;
        }
        DepartmentId headquarters = chart.createDepartment("Headquarters 总部", null, 0, null, null).id();
        DepartmentId engineering = chart.createDepartment("Engineering 工程部", headquarters, 1, null, null).id();
        DepartmentId platform = chart.createDepartment("Platform 平台组", engineering, 1, null, null).id();
        DepartmentId finance = chart.createDepartment("Finance 财务部", headquarters, 2, null, null).id();

        chart.setMembership(people.get("dave"), headquarters, "CEO", true, null);
        chart.setMembership(people.get("alice"), engineering, "Head of Engineering", true, null);
        chart.setMembership(people.get("bob"), engineering, "Backend Engineer", true, null);
        chart.setMembership(people.get("zhangsan"), engineering, "前端工程师", true, null);
        chart.setMembership(people.get("erin"), platform, "Site Reliability Engineer", true, null);
        chart.setMembership(people.get("lisi"), finance, "财务总监", true, null);
        chart.setMembership(people.get("carol"), finance, "Compliance Officer", true, null);

        chart.setHeads(headquarters, List.of(people.get("dave")), null);
        chart.setHeads(engineering, List.of(people.get("alice")), null);
        chart.setHeads(finance, List.of(people.get("lisi")), null);
        // Platform has no head: erin's manager is the head above it, alice.
        chart.setManager(people.get("zhangsan"), people.get("bob"), null);
        log.info("Local mode: demo org chart seeded (Headquarters > Engineering > Platform, Finance)");
    }
}
