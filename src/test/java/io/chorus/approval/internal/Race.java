package io.chorus.approval.internal;

import io.chorus.platform.ChorusProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands on threads of their own, released together by a barrier, the way two people
 * pressing "approve" at the same moment (or several application nodes firing timers) reach the
 * server. Each command ends in a result or a {@link ChorusProblem}; anything else fails the test.
 */
final class Race {

    /** What one contender got: a result, or the problem it was refused with. */
    record Outcome<T>(T result, ChorusProblem refusal) {

        boolean accepted() {
            return refusal == null;
        }
    }

    private Race() {
    }

    @SafeVarargs
    static <T> List<Outcome<T>> together(Callable<T>... contenders) {
        return together(List.of(contenders));
    }

    static <T> List<Outcome<T>> together(List<Callable<T>> contenders) {
        CyclicBarrier start = new CyclicBarrier(contenders.size());
        ExecutorService threads = Executors.newFixedThreadPool(contenders.size());
        try {
            List<Future<Outcome<T>>> running = new ArrayList<>();
            for (Callable<T> contender : contenders) {
                running.add(threads.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    try {
                        return new Outcome<>(contender.call(), null);
                    } catch (ChorusProblem refused) {
                        return new Outcome<T>(null, refused);
                    }
                }));
            }
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<Outcome<T>> contender : running) {
                outcomes.add(contender.get(60, TimeUnit.SECONDS));
            }
            return outcomes;
        } catch (Exception failed) {
            throw new AssertionError("A contender failed with something other than a problem", failed);
        } finally {
            threads.shutdownNow();
        }
    }
}
