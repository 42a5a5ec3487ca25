package org.imsmooth.ops;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.state.RateHistoryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * The import's rate over time, kept by the service so the status page's chart shows the whole run
 * whenever it is opened: one point per {@code step} (the progress interval), in a ring bounded to
 * {@code capacity} points (the oldest fall off). With a {@link RateHistoryStore} each point is also kept in
 * the state database, and {@link #restore} reads them back after a restart (or from another instance).
 */
public class RateHistory {

    private static final Logger LOG = LoggerFactory.getLogger(RateHistory.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Double>> RATES = new TypeReference<>() { };
    /** How often (in points kept) the store forgets the points older than the ring holds. */
    private static final int FORGET_EVERY = 60;

    /** One point: when, and each stage's rate (records/s) then. */
    public record Point(long atMillis, Map<String, Double> rates) {
        public double total() {
            return rates.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    private final long stepMillis;
    private final int capacity;
    private final Deque<Point> points = new ArrayDeque<>();
    private final RateHistoryStore store;
    private long kept;

    /** In memory only. */
    public RateHistory(long stepMillis, int capacity) {
        this(stepMillis, capacity, null);
    }

    public RateHistory(long stepMillis, int capacity, RateHistoryStore store) {
        if (stepMillis <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("step and capacity must be positive");
        }
        this.stepMillis = stepMillis;
        this.capacity = capacity;
        this.store = store;
    }

    /** Reads back the stored points of the span the ring holds, up to {@code nowMillis}. */
    public synchronized void restore(long nowMillis) {
        if (store == null) {
            return;
        }
        for (RateHistoryStore.StoredPoint p : store.since(nowMillis - stepMillis * capacity)) {
            try {
                add(p.atMillis(), JSON.readValue(p.ratesJson(), RATES));
            } catch (JsonProcessingException unreadable) {
                LOG.warn("Rate history point at {} is not readable: {}", p.atMillis(), unreadable.getOriginalMessage());
            }
        }
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
        add(atMillis, rates);
        if (store != null) {
            try {
                store.keep(atMillis / stepMillis, atMillis, JSON.writeValueAsString(rates));
                if (kept++ % FORGET_EVERY == 0) {
                    store.forgetBefore(atMillis - stepMillis * capacity);
                }
            } catch (JsonProcessingException | DataAccessException e) {
                // the point stays in memory; the status must not fail for it
                LOG.warn("Rate history point not stored: {}", e.getMessage());
            }
        }
        return true;
    }

    private void add(long atMillis, Map<String, Double> rates) {
        Point last = points.peekLast();
        if (last != null && atMillis - last.atMillis() < stepMillis) {
            return;
        }
        points.addLast(new Point(atMillis, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rates))));
        while (points.size() > capacity) {
            points.removeFirst();
        }
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
