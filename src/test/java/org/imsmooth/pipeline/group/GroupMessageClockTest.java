package org.imsmooth.pipeline.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.imsmooth.canonical.GroupMessageRecord;
import org.junit.jupiter.api.Test;

/**
 * IM takes group history only before the current second. A row the import reads while it is being
 * written (same second) waits for the clock; a time far ahead is left to validation, which refuses it.
 */
class GroupMessageClockTest {

    @Test
    void aMessageOfThisSecondWaitsUntilTheClockHasPassedIt() {
        long thisSecond = Instant.now().getEpochSecond();
        long now = GroupMessageImport.afterNewest(List.of(message("1", thisSecond - 100), message("2", thisSecond)));
        assertThat(now).isGreaterThan(thisSecond);
        assertThat(Instant.now().getEpochSecond()).isGreaterThan(thisSecond);
    }

    @Test
    void aTimeFarAheadIsNotWaitedFor() {
        long thisSecond = Instant.now().getEpochSecond();
        long now = GroupMessageImport.afterNewest(List.of(message("1", thisSecond + 3600), message("2", null)));
        // returned at once: the same second (or the next, if the clock just ticked), never an hour later
        assertThat(now).isBetween(thisSecond, thisSecond + 1);
    }

    private static GroupMessageRecord message(String id, Long sentAt) {
        return new GroupMessageRecord(id, "7", "1", "text", "{\"text\":\"hi\"}", sentAt, 1L);
    }
}
