package io.chorus.search;

import io.chorus.chat.ConversationRef;
import io.chorus.chat.Conversations;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.PageCursor;
import io.chorus.platform.ProblemCodes;
import io.chorus.search.internal.SearchMetrics;
import io.chorus.search.internal.engine.EngineHit;
import io.chorus.search.internal.engine.EngineQuery;
import io.chorus.search.internal.engine.IndexedMessage;
import io.chorus.search.internal.engine.SearchEngine;
import io.chorus.search.internal.indexing.IndexRebuilder;
import io.chorus.search.internal.indexing.IndexStatus;
import io.chorus.search.internal.query.ParsedQuery;
import io.chorus.search.internal.query.QueryParser;
import io.chorus.search.internal.text.Highlighter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Message search for employees and for compliance officers, on whichever engine is configured.
 * An employee's search is limited, at the moment it runs, to the conversations they are a
 * member of, and sees only live messages as they read now; a compliance search reaches every
 * conversation (within the officer's scope), recalled messages and earlier texts too.
 */
@Service
public class MessageSearch {

    private static final Logger log = LoggerFactory.getLogger(MessageSearch.class);

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 50;
    /** Relevance pages stop this deep; newest-first pages go on through everything. */
    public static final int MAX_RELEVANCE_DEPTH = 1000;

    private final SearchEngine engine;
    private final Conversations conversations;
    private final UserDirectory users;
    private final IndexStatus index;
    private final IndexRebuilder rebuilder;
    private final SearchMetrics metrics;

    MessageSearch(SearchEngine engine, Conversations conversations, UserDirectory users, IndexStatus index,
            IndexRebuilder rebuilder, SearchMetrics metrics) {
        this.engine = engine;
        this.conversations = conversations;
        this.users = users;
        this.index = index;
        this.rebuilder = rebuilder;
        this.metrics = metrics;
    }

    /** An employee's search: the conversations they are in now, live messages, current texts. */
    public SearchResults forEmployee(UserId me, SearchRequest request) {
        ParsedQuery query = QueryParser.parse(request.q());
        List<ConversationRef> mine = conversations.memberships(me);
        Set<UUID> reach = mine.stream().map(c -> c.id().value()).collect(Collectors.toSet());
        if (!query.conversations().isEmpty()) {
            reach = resolveAmong(query.conversations(), mine);
        }
        return run(me, query, request, reach, null, false);
    }

    /**
     * A compliance officer's search over every conversation; {@code onlySenders}, when not
     * null, keeps the messages of those senders only (an officer limited to departments).
     */
    public SearchResults forCompliance(UserId officer, Set<UUID> onlySenders, SearchRequest request) {
        ParsedQuery query = QueryParser.parse(request.q());
        Set<UUID> reach = query.conversations().isEmpty() ? null : resolveAnywhere(query.conversations());
        return run(officer, query, request, reach, onlySenders, true);
    }

    public SearchStatus status() {
        IndexStatus.Backlog backlog = index.backlog();
        return new SearchStatus(engine.name(), engine.reachable(), backlog.size(), backlog.oldest(),
                rebuilder.status());
    }

    private SearchResults run(UserId me, ParsedQuery query, SearchRequest request, Set<UUID> reach,
            Set<UUID> onlySenders, boolean compliance) {
        int limit = request.limit() <= 0 ? DEFAULT_LIMIT : Math.min(request.limit(), MAX_LIMIT);
        Set<UUID> senders = senders(query, onlySenders);
        ZoneId zone = request.zone() == null ? ZoneId.of("UTC") : request.zone();
        Instant after = latest(day(query.after(), zone, 1), day(query.on(), zone, 0));
        Instant before = earliest(day(query.before(), zone, 0), day(query.on(), zone, 1));
        SearchSort sort = request.sort() == null ? SearchSort.RELEVANCE : request.sort();
        boolean newest = !query.hasText() || sort == SearchSort.NEWEST;
        Page page = Page.of(request.cursor(), newest);
        EngineQuery engineQuery = new EngineQuery(query.include(), query.exclude(), reach, senders,
                query.mentionsMe() ? me.value() : null, after, before, compliance, sort, page.offset(),
                page.after(), limit + 1);
        List<EngineHit> hits;
        long started = System.nanoTime();
        try {
            hits = engine.search(engineQuery);
            metrics.searched(started, true);
        } catch (ChorusProblem problem) {
            metrics.searched(started, false);
            throw problem;
        } catch (RuntimeException e) {
            metrics.searched(started, false);
            log.error("Search engine {} failed a query.", engine.name(), e);
            throw new ChorusProblem(HttpStatus.SERVICE_UNAVAILABLE, SearchProblems.UNAVAILABLE,
                    "Search is unavailable right now; messages sent meanwhile are indexed when it is back.");
        }
        boolean more = hits.size() > limit;
        List<EngineHit> shown = more ? hits.subList(0, limit) : hits;
        List<SearchHit> items = shown.stream().map(hit -> hit(hit.message(), query, compliance)).toList();
        String next = null;
        if (more && newest) {
            IndexedMessage last = shown.getLast().message();
            next = PageCursor.encode("n", last.sentAt().toString(), Long.toString(last.messageId()));
        } else if (more && page.offset() + limit < MAX_RELEVANCE_DEPTH) {
            next = PageCursor.encode("r", Integer.toString(page.offset() + limit));
        }
        return new SearchResults(items, next);
    }

    private SearchHit hit(IndexedMessage doc, ParsedQuery query, boolean compliance) {
        Snippet snippet = Highlighter.snippet(doc.text(), query.include());
        SearchHit.MatchedIn matchedIn = SearchHit.MatchedIn.CURRENT_TEXT;
        if (compliance && query.hasText() && snippet.highlights().isEmpty()) {
            for (String earlier : doc.earlierTexts()) {
                Snippet candidate = Highlighter.snippet(earlier, query.include());
                if (!candidate.highlights().isEmpty()) {
                    snippet = candidate;
                    matchedIn = SearchHit.MatchedIn.EARLIER_TEXT;
                    break;
                }
            }
        }
        return new SearchHit(doc.messageId(), doc.conversationId(), doc.seq(), doc.senderId(), doc.sentAt(),
                doc.edited(), doc.recalled(), snippet, matchedIn, compliance ? doc.text() : null,
                compliance ? doc.earlierTexts() : null);
    }

    /** The senders {@code from:} names, cut down to the officer's scope; null when neither limits. */
    private Set<UUID> senders(ParsedQuery query, Set<UUID> onlySenders) {
        if (query.senders().isEmpty()) {
            return onlySenders == null ? null : Set.copyOf(onlySenders);
        }
        // Names ignore letter case: from:BOB is bob. Usernames are stored as the identity
        // provider keeps them (Keycloak: lowercase), so the lowercase form is asked for too.
        Set<String> asked = new LinkedHashSet<>(query.senders());
        query.senders().forEach(name -> asked.add(name.toLowerCase(Locale.ROOT)));
        Map<String, UserId> found = users.findByUsernames(asked);
        Map<String, UserId> byLowerName = found.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue,
                        (a, b) -> a));
        Set<UUID> named = new LinkedHashSet<>();
        for (String name : query.senders()) {
            UserId id = found.containsKey(name) ? found.get(name) : byLowerName.get(name.toLowerCase(Locale.ROOT));
            if (id == null) {
                throw ChorusProblem.badRequest(SearchProblems.UNKNOWN_SENDER, "from: nobody is called '" + name + "'.");
            }
            named.add(id.value());
        }
        if (onlySenders != null) {
            named.retainAll(onlySenders);
        }
        return named;
    }

    /** {@code in:} values for compliance: any conversation id, or the groups of that name. */
    private Set<UUID> resolveAnywhere(List<String> wanted) {
        Set<UUID> reach = new HashSet<>();
        for (String value : wanted) {
            UUID id = uuidOrNull(value);
            List<UUID> matching = id != null ? List.of(id)
                    : conversations.groupsNamed(value).stream().map(c -> c.id().value()).toList();
            if (matching.isEmpty()) {
                throw unknownConversation(value);
            }
            reach.addAll(matching);
        }
        return reach;
    }

    /** {@code in:} values among the searcher's conversations: by id, or by name ignoring case. */
    private static Set<UUID> resolveAmong(List<String> wanted, List<ConversationRef> mine) {
        Map<UUID, ConversationRef> byId = mine.stream().collect(Collectors.toMap(c -> c.id().value(),
                Function.identity()));
        Set<UUID> reach = new HashSet<>();
        for (String value : wanted) {
            UUID id = uuidOrNull(value);
            List<UUID> matching = id != null ? (byId.containsKey(id) ? List.of(id) : List.of())
                    : mine.stream().filter(c -> c.name() != null && c.name().equalsIgnoreCase(value))
                            .map(c -> c.id().value()).toList();
            if (matching.isEmpty()) {
                throw unknownConversation(value);
            }
            reach.addAll(matching);
        }
        return reach;
    }

    private static ChorusProblem unknownConversation(String value) {
        return ChorusProblem.badRequest(SearchProblems.UNKNOWN_CONVERSATION,
                "in: no conversation you can search is called or has the id '" + value + "'.");
    }

    private static UUID uuidOrNull(String value) {
        try {
            return value.length() == 36 ? UUID.fromString(value) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Instant day(LocalDate date, ZoneId zone, int plusDays) {
        return date == null ? null : date.plusDays(plusDays).atStartOfDay(zone).toInstant();
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : (a.isAfter(b) ? a : b);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : (a.isBefore(b) ? a : b);
    }

    /** Where a page starts: an offset into the relevance order, or the newest-first position after which to go on. */
    private record Page(int offset, EngineQuery.Keyset after) {

        static Page of(String cursor, boolean newest) {
            if (cursor == null || cursor.isBlank()) {
                return new Page(0, null);
            }
            List<String> parts = PageCursor.decode(cursor, newest ? 3 : 2);
            try {
                if (newest && parts.get(0).equals("n")) {
                    return new Page(0, new EngineQuery.Keyset(Instant.parse(parts.get(1)), Long.parseLong(parts.get(2))));
                }
                if (!newest && parts.get(0).equals("r")) {
                    int offset = Integer.parseInt(parts.get(1));
                    if (offset >= 0 && offset < MAX_RELEVANCE_DEPTH) {
                        return new Page(offset, null);
                    }
                }
            } catch (RuntimeException malformed) {
                throw PageCursor.malformed();
            }
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "cursor belongs to a search with another sort; start again without it.");
        }
    }
}
