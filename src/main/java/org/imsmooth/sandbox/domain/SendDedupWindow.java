package org.imsmooth.sandbox.domain;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * IM's dedup of live sends: a send with the same key within the window returns the first result.
 * Keys leave in the order they came (a queue), so expiring costs the expired keys only; scanning
 * the whole map on each send cost 24,000 entries a send at 200 sends/s (a third of the sync
 * benchmark's CPU went to it).
 */
public final class SendDedupWindow<V> {

    private record Stamped<V>(V value, long atMs) {
    }

    private record Arrival(String key, long atMs) {
    }

    private final long windowMs;
    private final Map<String, Stamped<V>> recent = new ConcurrentHashMap<>();
    private final Queue<Arrival> arrivals = new ConcurrentLinkedQueue<>();

    public SendDedupWindow(long windowMs) {
        this.windowMs = windowMs;
    }

    /** The first result of a send with this key within the window, or null. */
    public V recent(String key, long nowMs) {
        Stamped<V> s = recent.get(key);
        return s != null && nowMs - s.atMs() <= windowMs ? s.value() : null;
    }

    /** Remembers a send's result and forgets those older than the window. */
    public void remember(String key, V value, long nowMs) {
        expire(nowMs);
        recent.put(key, new Stamped<>(value, nowMs));
        arrivals.add(new Arrival(key, nowMs));
    }

    private void expire(long nowMs) {
        Arrival oldest;
        while ((oldest = arrivals.peek()) != null && nowMs - oldest.atMs() > windowMs) {
            if (arrivals.remove(oldest)) {
                Arrival gone = oldest;
                // a key remembered again later keeps its newer entry
                recent.computeIfPresent(gone.key(), (k, s) -> s.atMs() == gone.atMs() ? null : s);
            }
        }
    }

    int size() {
        return recent.size();
    }

    public void clear() {
        recent.clear();
        arrivals.clear();
    }
}
