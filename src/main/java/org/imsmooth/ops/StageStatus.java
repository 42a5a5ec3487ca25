package org.imsmooth.ops;

import java.time.Instant;

/**
 * One stage as the status API and the progress log show it.
 *
 * @param rate       records per second over the last minute (imported + dead-lettered)
 * @param etaSeconds remaining records / rate; null when unknown (no rate yet, or done)
 * @param queueDepth messages waiting in the stage's work queue (-1 when the broker did not answer)
 * @param dlqDepth   messages in the stage's dead-letter queue
 * @param paused     an operator paused the stage (its reader holds, its workers take no work)
 * @param state      pending, reading, draining, done; "waiting" while its calls wait out a transient
 *                   failure (IM unreachable, 5xx, timeouts, retryable codes); "failed" while its reader fails
 * @param problem    what it waits for, or its reader's error (null when neither)
 * @param since      since when it waits, or its reader fails
 * @param cursor     where its reader stopped, while it fails
 */
public record StageStatus(String stage, String state, boolean paused, long total, long imported, long skipped, long deadLettered,
                          long truncated, long remaining, double percent, double rate, Long etaSeconds,
                          long queueDepth, long dlqDepth, Instant startedAt, Instant finishedAt,
                          String problem, Instant since, java.util.Map<String, Object> cursor) {
}
