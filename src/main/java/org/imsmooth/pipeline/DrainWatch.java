package org.imsmooth.pipeline;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@link ImportOrchestrator} knows of its draining stages' queues between two readings: which
 * stages it watches (draining, their dependencies done, as the last tick saw them), each one's queue
 * depth at its last reading (less the messages this instance's workers finished since), how many empty
 * readings in a row it has seen, and whether a quick reading is scheduled. A stage is done after
 * {@link #EMPTY_READINGS} empty readings in a row.
 */
final class DrainWatch {

    /** Empty readings in a row that end a draining stage. */
    static final int EMPTY_READINGS = 2;

    /** What one reading of a watched stage's queue says. */
    enum Reading {
        /** Messages left, or an unknown count. */
        NOT_EMPTY,
        /** Empty, for the first time in a row: to be confirmed. */
        FIRST_EMPTY,
        /** Empty again: the stage is done (and no longer watched). */
        DRAINED
    }

    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> lastDepth = new ConcurrentHashMap<>();
    private final Map<String, Integer> emptyReadings = new ConcurrentHashMap<>();
    private final Set<String> quickReadingDue = ConcurrentHashMap.newKeySet();

    void watch(String stage) {
        watched.add(stage);
    }

    /** Not watched any more (done, reading again, a dependency not done): its last depth is forgotten. */
    void unwatch(String stage) {
        watched.remove(stage);
        lastDepth.remove(stage);
    }

    /** Nothing is watched (this instance lost the orchestrator lease, or the import finished). */
    void clear() {
        watched.clear();
    }

    boolean watched(String stage) {
        return watched.contains(stage);
    }

    /** The stage reads its source again: empty readings so far do not count. */
    void reopened(String stage) {
        emptyReadings.remove(stage);
    }

    /** Records a reading of the stage's queue ({@code depth} < 0: unknown, left to the ticks) and says what it means. */
    Reading read(String stage, long depth) {
        if (depth >= 0) {
            lastDepth.put(stage, depth);
        } else {
            lastDepth.remove(stage);
        }
        if (depth != 0) {
            emptyReadings.remove(stage);
            return Reading.NOT_EMPTY;
        }
        if (emptyReadings.merge(stage, 1, Integer::sum) >= EMPTY_READINGS) {
            emptyReadings.remove(stage);
            unwatch(stage);
            return Reading.DRAINED;
        }
        return Reading.FIRST_EMPTY;
    }

    /** Whether the last reading was empty and awaits its confirmation. */
    boolean confirming(String stage) {
        return emptyReadings.getOrDefault(stage, 0) > 0;
    }

    /**
     * A worker here finished one of the stage's messages: one fewer than the last reading saw (an estimate
     * until the next reading: other instances' workers finish messages too, and a message rolled back for
     * redelivery is still there).
     */
    void messageFinished(String stage) {
        lastDepth.computeIfPresent(stage, (s, depth) -> depth > 0 ? depth - 1 : depth);
    }

    /** The queue depth as last read, less the messages finished here since; -1 when unknown or not watched. */
    long lastDepth(String stage) {
        return lastDepth.getOrDefault(stage, -1L);
    }

    /** Whether the stage is watched and its queue, as last read, down to at most {@code messages}. */
    boolean downTo(String stage, long messages) {
        return watched.contains(stage) && lastDepth.getOrDefault(stage, Long.MAX_VALUE) <= messages;
    }

    /** Claims the stage's one scheduled quick reading: false when one is due already. */
    boolean scheduleQuickReading(String stage) {
        return quickReadingDue.add(stage);
    }

    /** The stage's quick reading ran (or could not be scheduled). */
    void quickReadingDone(String stage) {
        quickReadingDue.remove(stage);
    }
}
