package org.imsmooth.pipeline.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import org.imsmooth.pipeline.failure.DeadLetterItem;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Runs the IM calls of one group-stage queue message side by side, one task per independent key (a
 * group, or a member for unread counts), each key's own calls still in order inside its task. A queue
 * message carries many groups: made one after another at 50 ms per call, a message of 20 groups took a
 * second, so a stage needed dozens of consumers to reach its quota and ended with a long tail of the
 * last messages' sequential calls. The pace stays with {@code apiQuotas.acquire}; this only stops
 * independent calls from waiting for each other. The consumer thread waits for every task, so the
 * message is acknowledged only once all its calls are answered, as before.
 */
@Component
public class GroupCallFanOut {

    private final ThreadPoolExecutor pool;

    public GroupCallFanOut(@Value("${pipeline.group-calls.threads:32}") int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("pipeline.group-calls.threads must be at least 1");
        }
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "group-calls-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Calls {@code call} for every entry at once and returns all their dead letters, in the map's order.
     * When calls fail, every other call still finishes (its outcome is recorded), then the first failure
     * in the map's order is thrown, exactly as the sequential loop would have ended: a retryable one
     * redelivers the message, whose finished records are then skipped.
     */
    public <K, V> List<DeadLetterItem> forEach(Map<K, V> work, BiFunction<K, V, List<DeadLetterItem>> call) {
        return each(new ArrayList<>(work.entrySet()), e -> call.apply(e.getKey(), e.getValue()));
    }

    /** As {@link #forEach(Map, BiFunction)}, one task per item of the list. */
    public <T> List<DeadLetterItem> each(List<T> items, Function<T, List<DeadLetterItem>> call) {
        if (items.size() <= 1) {
            return items.isEmpty() ? List.of() : call.apply(items.get(0));
        }
        List<Future<List<DeadLetterItem>>> tasks = new ArrayList<>();
        items.forEach(item -> tasks.add(pool.submit(() -> call.apply(item))));
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

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
