package io.chorus.search;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.ElasticsearchEngine;

/** The search behaviour on the Elasticsearch engine: the same tests as on PostgreSQL. */
@ChorusIntegrationTest
@ElasticsearchEngine
class ElasticsearchSearchTest extends SearchBehaviour {
}
