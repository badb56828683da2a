package io.chorus.search;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.ElasticsearchEngine;

/** Relevance of the Elasticsearch engine on the judged set. */
@ChorusIntegrationTest
@ElasticsearchEngine
class ElasticsearchRelevanceTest extends SearchRelevance {
}
