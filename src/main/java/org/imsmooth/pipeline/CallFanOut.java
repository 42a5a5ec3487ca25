package org.imsmooth.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import jakarta.annotation.PreDestroy;
import org.imsmooth.pipeline.failure.DeadLetterItem;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Runs the IM calls of one queue message side by side, one task per independent key (a user's
 * friends, a conversation, a group, a profile, a read mark), each key's own calls still in order inside
 * its task. A queue message carries many keys: made one after another at 50 ms per call, a message of
 * 20 keys took a second, so a stage needed dozens of consumers to reach its quota, and it ended with a
 * tail of several seconds in which the few consumers still holding the last lanes' messages made their
 * calls one by one. The pace stays with {@code apiQuotas.acquire}; this only stops independent calls
 * from waiting for each other. Each stage has its own threads ({@code pipeline.<stage>.call-threads},
 * default {@code pipeline.call-threads}, 32): tasks wait in their API's pacing, and in a shared pool one
 * stage's waiting tasks would hold back the others. The consumer thread waits for every task, so the
 * message is acknowledged only once all its calls are answered.
 */
@Component
public class CallFanOut {

    private static final int DEFAULT_THREADS = 32;

    private final ToIntFunction<String> threadsOfStage;
    private final Map<String, ThreadPoolExecutor> pools = new ConcurrentHashMap<>();

    @Autowired
    public CallFanOut(Environment environment) {
        this(stage -> environment.getProperty("pipeline." + stage + ".call-threads", Integer.class,
                environment.getProperty("pipeline.call-threads", Integer.class, DEFAULT_THREADS)));
    }

    /** Every stage with {@code threads} threads. */
    public CallFanOut(int threads) {
        this(stage -> threads);
    }

    private CallFanOut(ToIntFunction<String> threadsOfStage) {
        this.threadsOfStage = threadsOfStage;
    }

    /**
     * Calls {@code call} for every entry at once and returns all their dead letters, in the map's order.
     * When calls fail, every other call still finishes (its outcome is recorded), then the first failure
     * in the map's order is thrown, exactly as a sequential loop would have ended: a retryable one
     * redelivers the message, whose finished records are then skipped.
     */
    public <K, V> List<DeadLetterItem> forEach(String stage, Map<K, V> work, BiFunction<K, V, List<DeadLetterItem>> call) {
        return each(stage, new ArrayList<>(work.entrySet()), e -> call.apply(e.getKey(), e.getValue()));
    }

    /** As {@link #forEach(String, Map, BiFunction)}, one task per item of the list. */
    public <T> List<DeadLetterItem> each(String stage, List<T> items, Function<T, List<DeadLetterItem>> call) {
        if (items.size() <= 1) {
            return items.isEmpty() ? List.of() : call.apply(items.get(0));
        }
        ThreadPoolExecutor pool = pools.computeIfAbsent(stage, this::newPool);
        List<Future<List<DeadLetterItem>>> tasks = new ArrayList<>();
        // the tasks' outcome writes belong to this message's batch
        items.forEach(item -> tasks.add(pool.submit(OutcomeBatch.carry(() -> call.apply(item)))));
        List<DeadLetterItem> out = new ArrayList<>();
        RuntimeException first = null;
        for (Future<List<DeadLetterItem>> task : tasks) {
            try {
                out.addAll(task.get());
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                tasks.forEach(t -> t.cancel(true));
                throw new IllegalStateException("interrupted while waiting for a message's IM calls", e);
            }
        }
        if (first != null) {
            throw first;
        }
        return out;
    }

    private ThreadPoolExecutor newPool(String stage) {
        int threads = threadsOfStage.applyAsInt(stage);
        if (threads < 1) {
            throw new IllegalArgumentException("pipeline." + stage + ".call-threads must be at least 1");
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, stage + "-calls-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // a finished stage keeps no threads
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @PreDestroy
    void stop() {
        pools.values().forEach(ThreadPoolExecutor::shutdownNow);
    }
}
