package org.imsmooth.sync.toim.log;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Hands the state database to Debezium's offset store and schema history, which Debezium makes by
 * class name with no constructor arguments: each capture (by {@code log-capture.name}) registers its
 * state database here when its components are made, and its queue writer ({@link LogCaptureQueue}),
 * which the offset store waits for. Only the handles live in memory; offsets and history are rows of
 * the state database.
 */
final class CaptureStateStore {

    private static final Map<String, JdbcTemplate> STATES = new ConcurrentHashMap<>();
    private static final Map<String, LogCaptureQueue> QUEUES = new ConcurrentHashMap<>();

    private CaptureStateStore() {
    }

    static void register(String capture, JdbcTemplate state) {
        STATES.put(capture, state);
    }

    static void registerQueue(String capture, LogCaptureQueue queue) {
        QUEUES.put(capture, queue);
    }

    /** Before offsets are stored: waits until every change read so far is on the broker ({@link LogCaptureQueue}). */
    static void awaitQueued(String capture) throws InterruptedException {
        LogCaptureQueue queue = QUEUES.get(capture);
        if (queue != null) {
            queue.awaitQueued();
        }
    }

    static JdbcTemplate of(String capture) {
        JdbcTemplate state = STATES.get(capture);
        if (state == null) {
            throw new IllegalStateException("no state database registered for log capture '" + capture + "'");
        }
        return state;
    }
}
