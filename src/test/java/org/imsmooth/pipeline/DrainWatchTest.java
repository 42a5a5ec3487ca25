package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.imsmooth.pipeline.DrainWatch.Reading;
import org.junit.jupiter.api.Test;

/** A draining stage is done after two empty readings in a row, and only then; its last depth follows readings and finished messages. */
class DrainWatchTest {

    private static final String STAGE = "friends";
    private final DrainWatch drains = new DrainWatch();

    @Test
    void twoEmptyReadingsInARowEndTheStage() {
        drains.watch(STAGE);
        assertThat(drains.read(STAGE, 3)).isEqualTo(Reading.NOT_EMPTY);
        assertThat(drains.read(STAGE, 0)).isEqualTo(Reading.FIRST_EMPTY);
        assertThat(drains.confirming(STAGE)).isTrue();
        assertThat(drains.read(STAGE, 1)).as("a message came back (a rollback)").isEqualTo(Reading.NOT_EMPTY);
        assertThat(drains.confirming(STAGE)).isFalse();
        assertThat(drains.read(STAGE, 0)).isEqualTo(Reading.FIRST_EMPTY);
        assertThat(drains.read(STAGE, -1)).as("an unknown count breaks the row").isEqualTo(Reading.NOT_EMPTY);
        assertThat(drains.read(STAGE, 0)).isEqualTo(Reading.FIRST_EMPTY);
        assertThat(drains.read(STAGE, 0)).isEqualTo(Reading.DRAINED);
        assertThat(drains.watched(STAGE)).as("done: no longer watched").isFalse();
        assertThat(drains.lastDepth(STAGE)).isEqualTo(-1);
    }

    @Test
    void aReopenedStageStartsItsEmptyReadingsAgain() {
        drains.watch(STAGE);
        assertThat(drains.read(STAGE, 0)).isEqualTo(Reading.FIRST_EMPTY);
        drains.reopened(STAGE);
        assertThat(drains.read(STAGE, 0)).isEqualTo(Reading.FIRST_EMPTY);
    }

    @Test
    void theLastDepthFollowsReadingsAndMessagesFinishedHere() {
        drains.watch(STAGE);
        assertThat(drains.downTo(STAGE, 4)).as("never read").isFalse();
        drains.read(STAGE, 6);
        drains.messageFinished(STAGE);
        assertThat(drains.lastDepth(STAGE)).isEqualTo(5);
        assertThat(drains.downTo(STAGE, 4)).isFalse();
        drains.messageFinished(STAGE);
        assertThat(drains.downTo(STAGE, 4)).isTrue();
        drains.read(STAGE, -1);
        assertThat(drains.lastDepth(STAGE)).as("unknown: left to the ticks").isEqualTo(-1);
        assertThat(drains.downTo(STAGE, 4)).isFalse();
        drains.read(STAGE, 0);
        drains.messageFinished(STAGE);
        assertThat(drains.lastDepth(STAGE)).as("never below zero").isZero();
        drains.unwatch(STAGE);
        assertThat(drains.downTo(STAGE, 4)).isFalse();
    }

    @Test
    void oneQuickReadingAtATime() {
        assertThat(drains.scheduleQuickReading(STAGE)).isTrue();
        assertThat(drains.scheduleQuickReading(STAGE)).isFalse();
        drains.quickReadingDone(STAGE);
        assertThat(drains.scheduleQuickReading(STAGE)).isTrue();
    }
}
