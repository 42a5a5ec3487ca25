package org.imsmooth.ops;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The import's rate over time, kept by the service so the status page's chart shows the whole run
 * whenever it is opened: one point per {@code step} (the progress interval), in a ring bounded to
 * {@code capacity} points (the oldest fall off). Memory only: a restart starts a new history.
 */
public class RateHistory {

    /** One point: when, and each stage's rate (records/s) then. */
    public record Point(long atMillis, Map<String, Double> rates) {
        public double total() {
            return rates.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    private final long stepMillis;
    private final int capacity;
    private final Deque<Point> points = new ArrayDeque<>();

    public RateHistory(long stepMillis, int capacity) {
        if (stepMillis <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("step and capacity must be positive");
        }
        this.stepMillis = stepMillis;
        this.capacity = capacity;
    }

    /**
     * Keeps a point unless the last one is less than a step old (the page's polls and the progress
     * log both sample; the history keeps one point per step).
     */
    public synchronized boolean offer(long atMillis, Map<String, Double> rates) {
        Point last = points.peekLast();
        if (last != null && atMillis - last.atMillis() < stepMillis) {
            return false;
        }
        points.addLast(new Point(atMillis, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rates))));
        while (points.size() > capacity) {
            points.removeFirst();
        }
        return true;
    }

    public synchronized List<Point> points() {
        return new ArrayList<>(points);
    }

    public long stepMillis() {
        return stepMillis;
    }

    public int capacity() {
        return capacity;
    }
}
