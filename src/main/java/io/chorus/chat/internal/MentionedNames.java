package io.chorus.chat.internal;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The usernames a message's text mentions, and whether it mentions {@code @all}, as written:
 * whether those names belong to members is decided elsewhere.
 *
 * @param usernames each mentioned name once, in the order first written, without {@code all}
 */
public record MentionedNames(Set<String> usernames, boolean all) {

    /** The pseudo-name that notifies every member. */
    static final String ALL = "all";

    /** How long a mentioned name may be; a longer word is not a mention at all, not one of its prefix. */
    static final int MAX_LENGTH = 64;

    /**
     * {@code @name} not preceded by a word character or another {@code @} (so "a@b.com" is an
     * e-mail address, while "请@bob" in text without spaces is a mention). A name never ends in a
     * dot, so the full stop of "thanks @bob." is not taken for part of it, and it must end where
     * the name ends: the first 64 characters of a longer word name nobody.
     */
    private static final Pattern MENTION = Pattern.compile(
            "(?<![\\w@])@([A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}[A-Za-z0-9_-])(?![A-Za-z0-9_-]|\\.[A-Za-z0-9_-])");

    private static final MentionedNames NONE = new MentionedNames(Set.of(), false);

    public MentionedNames {
        usernames = Collections.unmodifiableSet(new LinkedHashSet<>(usernames));
    }

    public static MentionedNames parse(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = MENTION.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        if (names.isEmpty()) {
            return NONE;
        }
        boolean all = names.remove(ALL);
        return new MentionedNames(names, all);
    }

    public boolean isEmpty() {
        return usernames.isEmpty() && !all;
    }
}
