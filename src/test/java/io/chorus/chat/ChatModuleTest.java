package io.chorus.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;

import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserAccounts.DirectoryAccount;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.org.Department;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgDirectory;
import io.chorus.org.OrgEvents;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.ApplicationModuleTest.BootstrapMode;
import org.springframework.modulith.test.AssertablePublishedEvents;
import org.springframework.modulith.test.PublishedEvents;
import org.springframework.modulith.test.Scenario;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * Chat's event flows with only the chat module (and the shared identity and platform modules)
 * running, on the same embedded PostgreSQL the application uses: what a change publishes for
 * other modules and for live delivery, what it records, and how department groups follow org
 * events. The org chart is mocked at the module boundary.
 *
 * <p>A test takes either a {@link Scenario} or {@link AssertablePublishedEvents}, never both: the
 * second parameter resolved takes over the capture of published events from the first.
 */
@ApplicationModuleTest(mode = BootstrapMode.STANDALONE)
@ActiveProfiles("test")
class ChatModuleTest {

    @MockitoBean
    OrgDirectory org;

    @Autowired
    Conversations conversations;

    @Autowired
    Messages messages;

    @Autowired
    DepartmentGroups departmentGroups;

    @Autowired
    UserAccounts accounts;

    @Autowired
    UserDirectory users;

    @Autowired
    JdbcClient jdbc;

    @Test
    void sendingAMessagePublishesMessagePostedAndDeliversItToTheMembersLive(Scenario scenario) {
        UserId alice = user("alice");
        UserId bob = user("bob");
        ConversationId group = group(alice, bob);

        scenario.stimulate(() -> messages.send(new SendMessage(group, alice, "m-1", "hello @" + username(bob), null)))
                .andWaitForStateChange(() -> messages.history(bob, group, null, null, 10).items(),
                        items -> !items.isEmpty())
                .andVerifyEvents(events -> {
                    assertThat(events.ofType(ChatEvents.MessagePosted.class)
                            .matching(posted -> posted.conversationId().equals(group)))
                            .singleElement().satisfies(posted -> {
                                assertThat(posted.seq()).isEqualTo(1);
                                assertThat(posted.sender()).isEqualTo(alice);
                                assertThat(posted.text()).isEqualTo("hello @" + username(bob));
                            });
                    assertThat(liveDeliveries(events, group)).last().satisfies(delivery -> {
                        assertThat(delivery.toMembers()).isTrue();
                        assertThat(delivery.event()).isInstanceOfSatisfying(LiveEvent.MessagePosted.class, posted -> {
                            assertThat(posted.message().seq()).isEqualTo(1);
                            assertThat(posted.message().mentions()).containsExactly(bob.value());
                        });
                    });
                });
    }

    @Test
    void addingAMemberPublishesMemberAddedRecordsTheJoinAndTellsTheMembers(Scenario scenario) {
        UserId alice = user("alice");
        UserId bob = user("bob");
        UserId carol = user("carol");
        ConversationId group = group(alice, bob);
        messages.send(new SendMessage(group, alice, "m-1", "before carol", null));

        // The join is recorded after the message, at its seq: carol was not a member for message 1.
        scenario.stimulate(() -> conversations.addMembers(alice, group, List.of(carol.value())))
                .andWaitForStateChange(() -> history(group, carol), changes -> !changes.isEmpty())
                .andVerifyEvents(events -> {
                    assertThat(history(group, carol)).containsExactly(new Change("JOINED", "MEMBER", alice.value(), 1));
                    assertThat(events.ofType(ChatEvents.MemberAdded.class)
                            .matching(added -> added.userId().equals(carol)))
                            .singleElement().satisfies(added -> {
                                assertThat(added.conversationId()).isEqualTo(group);
                                assertThat(added.role()).isEqualTo(MemberRole.MEMBER);
                                assertThat(added.by()).isEqualTo(alice);
                            });
                    assertThat(liveDeliveries(events, group)).last().satisfies(delivery -> {
                        assertThat(delivery.toMembers()).isTrue();
                        assertThat(delivery.event()).isEqualTo(new LiveEvent.MemberAdded(group.value(),
                                carol.value(), MemberRole.MEMBER));
                    });
                });
        assertThat(conversations.get(alice, group).memberCount()).isEqualTo(3);
    }

    @Test
    void removingAMemberPublishesMemberRemovedAndTellsTheRemovedUserToo(Scenario scenario) {
        UserId alice = user("alice");
        UserId bob = user("bob");
        ConversationId group = group(alice, bob);

        scenario.stimulate(() -> conversations.removeMember(alice, group, bob))
                .andWaitForStateChange(() -> history(group, bob), changes -> changes.size() == 2)
                .andVerifyEvents(events -> {
                    assertThat(history(group, bob)).containsExactly(new Change("JOINED", "MEMBER", alice.value(), 0),
                            new Change("REMOVED", "MEMBER", alice.value(), 0));
                    assertThat(events.ofType(ChatEvents.MemberRemoved.class)
                            .matching(removed -> removed.conversationId().equals(group)))
                            .singleElement().satisfies(removed -> {
                                assertThat(removed.userId()).isEqualTo(bob);
                                assertThat(removed.by()).isEqualTo(alice);
                            });
                    assertThat(liveDeliveries(events, group)).last().satisfies(delivery -> {
                        assertThat(delivery.toMembers()).isTrue();
                        assertThat(delivery.users()).containsExactly(bob.value());
                        assertThat(delivery.event()).isEqualTo(new LiveEvent.MemberRemoved(group.value(),
                                bob.value()));
                    });
                });
        assertThat(conversations.get(alice, group).memberCount()).isEqualTo(1);
    }

    @Test
    void leavingIsRecordedAsLeftByTheLeaver(Scenario scenario) {
        UserId alice = user("alice");
        UserId bob = user("bob");
        ConversationId group = group(alice, bob);

        scenario.stimulate(() -> conversations.removeMember(bob, group, bob))
                .andWaitForEventOfType(ChatEvents.MemberRemoved.class)
                .matching(removed -> removed.userId().equals(bob))
                .toArriveAndVerify(removed -> assertThat(removed.by()).isEqualTo(bob));

        assertThat(history(group, bob)).last().isEqualTo(new Change("LEFT", "MEMBER", bob.value(), 0));
    }

    @Test
    void handingOwnershipOverRecordsBothRoleChangesAndTellsTheMembers(AssertablePublishedEvents events) {
        UserId alice = user("alice");
        UserId bob = user("bob");
        ConversationId group = group(alice, bob);

        conversations.changeRole(alice, group, bob, MemberRole.OWNER);

        assertThat(history(group, bob)).last().isEqualTo(new Change("ROLE_CHANGED", "OWNER", alice.value(), 0));
        assertThat(history(group, alice)).last().isEqualTo(new Change("ROLE_CHANGED", "ADMIN", alice.value(), 0));
        assertThat(liveDeliveries(events, group)).map(LiveDelivery::event).endsWith(
                new LiveEvent.MemberRoleChanged(group.value(), bob.value(), MemberRole.OWNER),
                new LiveEvent.MemberRoleChanged(group.value(), alice.value(), MemberRole.ADMIN));
    }

    @Test
    void departmentGroupFollowsTheOrgChartWhenSomeoneJoinsOrLeaves(Scenario scenario) {
        UserId head = user("head");
        UserId seller = user("seller");
        DepartmentId sales = DepartmentId.of(UUID.randomUUID());
        orgChart(sales, head, Set.of());
        DepartmentGroups.DepartmentGroupView opened = departmentGroups.open(sales, false, null).group();
        ConversationId group = ConversationId.of(opened.conversationId());
        assertThat(members(group)).containsExactlyInAnyOrderEntriesOf(Map.of(head.value(), "ADMIN"));

        orgChart(sales, head, Set.of(seller));
        scenario.publish(new OrgEvents.EmployeeJoinedDepartment(seller, sales, "Seller", true, null, Instant.now()))
                .andWaitForEventOfType(ChatEvents.MemberAdded.class)
                .matching(added -> added.userId().equals(seller))
                .toArriveAndVerify(added -> {
                    assertThat(added.conversationId()).isEqualTo(group);
                    assertThat(added.by()).as("the org chart, no person").isNull();
                });
        assertThat(members(group)).containsEntry(seller.value(), "MEMBER");

        orgChart(sales, head, Set.of());
        scenario.publish(new OrgEvents.EmployeeLeftDepartment(seller, sales, null, Instant.now()))
                .andWaitForEventOfType(ChatEvents.MemberRemoved.class)
                .matching(removed -> removed.userId().equals(seller))
                .toArriveAndVerify(removed -> assertThat(removed.by()).isNull());
        assertThat(members(group)).containsOnlyKeys(head.value());
        assertThat(history(group, seller)).last().isEqualTo(new Change("REMOVED", "MEMBER", new UUID(0, 0), 0));
    }

    // ---------------------------------------------------------------- steps

    /** The org chart as the mock tells it: one top-level department with one head and these members. */
    private void orgChart(DepartmentId department, UserId head, Set<UserId> members) {
        when(org.department(department)).thenReturn(Optional.of(new Department(department, "Sales " + department,
                null, 0, List.of(head), false)));
        when(org.heads(department)).thenReturn(List.of(head));
        when(org.memberIds(eq(department), anyBoolean())).thenReturn(members);
        when(org.pathToRoot(department)).thenReturn(List.of(department));
        when(org.isMember(any(), eq(department), anyBoolean()))
                .thenAnswer(call -> members.contains(call.getArgument(0, UserId.class)));
    }

    private UserId user(String prefix) {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return accounts.provision(new DirectoryAccount("module-test-" + username, username, prefix, username
                + "@chorus.test", true));
    }

    private String username(UserId user) {
        return users.find(user).orElseThrow().username();
    }

    private ConversationId group(UserId owner, UserId member) {
        return ConversationId.of(conversations.createGroup(owner, "Module test", List.of(member.value())).id());
    }

    private static List<LiveDelivery> liveDeliveries(PublishedEvents events, ConversationId conversation) {
        return StreamSupport.stream(events.ofType(LiveDelivery.class).matching(delivery -> conversation.value()
                .equals(delivery.conversationId())).spliterator(), false).toList();
    }

    record Change(String change, String role, UUID by, long atSeq) {
    }

    private List<Change> history(ConversationId conversation, UserId user) {
        return jdbc.sql("""
                SELECT change, role, changed_by, at_seq FROM chat.membership_change
                WHERE conversation_id = :c AND user_id = :u ORDER BY id
                """).param("c", conversation.value()).param("u", user.value())
                .query((rs, n) -> new Change(rs.getString("change"), rs.getString("role"),
                        rs.getObject("changed_by", UUID.class), rs.getLong("at_seq")))
                .list();
    }

    private Map<UUID, String> members(ConversationId conversation) {
        return jdbc.sql("SELECT user_id, role FROM chat.member WHERE conversation_id = :c")
                .param("c", conversation.value())
                .query((rs, n) -> Map.entry(rs.getObject("user_id", UUID.class), rs.getString("role")))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
