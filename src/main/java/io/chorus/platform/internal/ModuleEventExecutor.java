package io.chorus.platform.internal;

import java.util.concurrent.Executor;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.annotation.AsyncConfigurer;

/**
 * Where {@code @Async} work runs: the module listeners of the event publication registry
 * ({@code @ApplicationModuleListener}). Without it, Spring finds several executors (the STOMP
 * channels bring their own), none named {@code taskExecutor}, and starts a new platform thread
 * per event. Here each event gets a virtual thread, and at most {@value #CONCURRENCY} run at
 * once: a burst of events queues for the limit instead of asking the connection pool for a
 * connection each. Deliberately not Spring Boot's application executor in "force" mode: that
 * would also become the STOMP channels' executor, and a limit shared with them deadlocks
 * (inbound handlers wait for outbound sends that wait for the limit).
 */
@Configuration(proxyBeanMethods = false)
class ModuleEventExecutor implements AsyncConfigurer {

    static final int CONCURRENCY = 8;

    @Override
    public Executor getAsyncExecutor() {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("chorus-event-");
        executor.setVirtualThreads(true);
        executor.setConcurrencyLimit(CONCURRENCY);
        // A listener cut off by a stop leaves its publication incomplete: it is handed over again
        // at the next start (republish-outstanding-events-on-restart).
        return executor;
    }
}
