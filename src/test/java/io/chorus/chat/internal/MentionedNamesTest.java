package io.chorus.chat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Mention parsing on its own: what text names whom, before anyone checks who is a member. */
class MentionedNamesTest {

    @Test
    void nameAtTheStartAndAfterSpaceIsMentioned() {
        assertThat(MentionedNames.parse("@bob and @carol, look").usernames()).containsExactly("bob", "carol");
    }

    @Test
    void fullStopAfterANameIsNotPartOfIt() {
        assertThat(MentionedNames.parse("thanks @bob.").usernames()).containsExactly("bob");
        assertThat(MentionedNames.parse("thanks @bob...").usernames()).containsExactly("bob");
    }

    @Test
    void dotsInsideANameArePartOfIt() {
        assertThat(MentionedNames.parse("ask @bob.smith.").usernames()).containsExactly("bob.smith");
    }

    @Test
    void emailAddressMentionsNobody() {
        MentionedNames parsed = MentionedNames.parse("write to a@b.com or x.y@chorus.io");

        assertThat(parsed.usernames()).isEmpty();
        assertThat(parsed.isEmpty()).isTrue();
    }

    @Test
    void doubleAtMentionsNobody() {
        assertThat(MentionedNames.parse("@@bob").usernames()).isEmpty();
    }

    @Test
    void atAllSetsTheFlagAndIsNoUsername() {
        MentionedNames parsed = MentionedNames.parse("@all standup in 5, @bob too");

        assertThat(parsed.all()).isTrue();
        assertThat(parsed.usernames()).containsExactly("bob");
        assertThat(parsed.isEmpty()).isFalse();
    }

    @Test
    void atAllAloneIsAMentionWithoutNames() {
        MentionedNames parsed = MentionedNames.parse("@all");

        assertThat(parsed.all()).isTrue();
        assertThat(parsed.usernames()).isEmpty();
        assertThat(parsed.isEmpty()).isFalse();
    }

    @Test
    void longerNameStartingWithAllIsAnOrdinaryName() {
        MentionedNames parsed = MentionedNames.parse("@allison @all_hands");

        assertThat(parsed.all()).isFalse();
        assertThat(parsed.usernames()).containsExactly("allison", "all_hands");
    }

    @Test
    void repeatedNameCountsOnceInFirstOrder() {
        assertThat(MentionedNames.parse("@carol @bob @carol @bob @all @all").usernames())
                .containsExactly("carol", "bob");
    }

    @Test
    void nameOfSixtyFourCharactersIsMentioned() {
        String name = "a".repeat(MentionedNames.MAX_LENGTH);

        assertThat(MentionedNames.parse("hi @" + name + "!").usernames()).containsExactly(name);
    }

    @Test
    void longerWordMentionsNobodyRatherThanItsPrefix() {
        String word = "a".repeat(MentionedNames.MAX_LENGTH + 1);

        assertThat(MentionedNames.parse("hi @" + word).usernames()).isEmpty();
        assertThat(MentionedNames.parse("hi @" + "b".repeat(60) + ".cdefgh").usernames()).isEmpty();
    }

    @Test
    void mentionsInsideChineseTextWithoutSpaces() {
        MentionedNames parsed = MentionedNames.parse("请@bob看一下，@carol。谢谢@all");

        assertThat(parsed.usernames()).containsExactly("bob", "carol");
        assertThat(parsed.all()).isTrue();
    }

    @Test
    void textWithoutAtMentionsNothing() {
        MentionedNames parsed = MentionedNames.parse("nothing to see here @ all");

        assertThat(parsed.usernames()).isEmpty();
        assertThat(parsed.all()).isFalse();
        assertThat(parsed.isEmpty()).isTrue();
    }

    @Test
    void punctuationAroundAMentionIsNotPartOfIt() {
        assertThat(MentionedNames.parse("(@bob), @carol: @dave?").usernames()).containsExactly("bob", "carol", "dave");
    }
}
