package io.chorus.search;

import io.chorus.support.ChorusIntegrationTest;

/** Relevance of the PostgreSQL engine on the judged set. */
@ChorusIntegrationTest
class PostgresRelevanceTest extends SearchRelevance {
}
