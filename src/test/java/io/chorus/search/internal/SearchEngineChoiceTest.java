package io.chorus.search.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.search.internal.SearchEngineChoice.ForEngine;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

/** {@code chorus.search.engine} picks one engine; a value naming none stops the start and says what to write. */
class SearchEngineChoiceTest {

    @Configuration(proxyBeanMethods = false)
    @ForEngine(SearchEngineChoice.POSTGRES)
    static class OnPostgres {
    }

    @Configuration(proxyBeanMethods = false)
    @ForEngine(SearchEngineChoice.ELASTICSEARCH)
    static class OnElasticsearch {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(OnPostgres.class, OnElasticsearch.class);

    @Test
    void unsetMeansPostgresAndEachValueItsEngineAlone() {
        runner.run(context -> assertThat(context).hasSingleBean(OnPostgres.class).doesNotHaveBean(OnElasticsearch.class));
        runner.withPropertyValues("chorus.search.engine=elasticsearch").run(context ->
                assertThat(context).hasSingleBean(OnElasticsearch.class).doesNotHaveBean(OnPostgres.class));
        runner.withPropertyValues("chorus.search.engine=Postgres").run(context ->
                assertThat(context).hasSingleBean(OnPostgres.class));
    }

    @Test
    void aValueThatNamesNoEngineStopsTheStartNamingTheSettingAndItsValues() {
        runner.withPropertyValues("chorus.search.engine=elastic").run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("chorus.search.engine")
                    .hasMessageContaining("CHORUS_SEARCH_ENGINE").hasMessageContaining("'elastic'")
                    .hasMessageContaining("postgres, elasticsearch");
        });
    }
}
