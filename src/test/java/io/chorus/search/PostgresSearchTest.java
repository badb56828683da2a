package io.chorus.search;

import io.chorus.support.ChorusIntegrationTest;

/** The search behaviour on the default engine, PostgreSQL. */
@ChorusIntegrationTest
class PostgresSearchTest extends SearchBehaviour {
}
