package org.imsmooth.sync.toim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The sender's hold decision: a group the import has handed off, with nothing of it held, is settled and
 * its later changes cost no query; a group not handed off yet, or one with held changes, is asked again
 * every time (a "must wait" is never remembered).
 */
class HeldChangesMustHoldTest {

    private static final String STAGE = "group-messages";

    private final JdbcTemplate jdbc = mock(JdbcTemplate.class);
    private final ImportHandOff handOff = mock(ImportHandOff.class);
    private final HeldChanges held = new HeldChanges(jdbc, handOff, mock(CaptureLease.class), mock(ProducerTemplate.class),
            mock(ChangeMessages.class));

    @Test
    void aHandedOffGroupWithNothingHeldIsAskedOnce() {
        OldSystemChange change = groupMessage("7");
        when(handOff.mustWait(STAGE)).thenReturn(true);
        when(handOff.handedOff(STAGE, change)).thenReturn(true);
        when(jdbc.queryForObject(anyString(), eq(Integer.class), any(Object[].class))).thenReturn(0);

        for (int i = 0; i < 5; i++) {
            assertThat(held.mustHold(STAGE, change, "g7")).isFalse();
        }
        verify(handOff, times(1)).mustWait(STAGE);
        verify(handOff, times(1)).handedOff(STAGE, change);
        verify(jdbc, times(1)).queryForObject(anyString(), eq(Integer.class), any(Object[].class));
        verifyNoMoreInteractions(jdbc);
    }

    @Test
    void aGroupNotHandedOffIsAskedEveryTimeUntilItIs() {
        OldSystemChange change = groupMessage("8");
        when(handOff.mustWait(STAGE)).thenReturn(true);
        when(handOff.handedOff(STAGE, change)).thenReturn(false, false, true);
        when(jdbc.queryForObject(anyString(), eq(Integer.class), any(Object[].class))).thenReturn(0);

        assertThat(held.mustHold(STAGE, change, "g8")).isTrue();
        assertThat(held.mustHold(STAGE, change, "g8")).isTrue();
        assertThat(held.mustHold(STAGE, change, "g8")).isFalse();
        assertThat(held.mustHold(STAGE, change, "g8")).isFalse();
        verify(handOff, times(3)).handedOff(STAGE, change);
    }

    @Test
    void aHandedOffGroupWithHeldChangesWaitsBehindThem() {
        OldSystemChange change = groupMessage("9");
        when(handOff.mustWait(STAGE)).thenReturn(true);
        when(handOff.handedOff(STAGE, change)).thenReturn(true);
        // the line holds a change until the release empties it
        when(jdbc.queryForObject(anyString(), eq(Integer.class), any(Object[].class))).thenReturn(1, 1, 0);

        assertThat(held.mustHold(STAGE, change, "g9")).isTrue();
        assertThat(held.mustHold(STAGE, change, "g9")).isTrue();
        assertThat(held.mustHold(STAGE, change, "g9")).isFalse();
        assertThat(held.mustHold(STAGE, change, "g9")).isFalse();
        verify(jdbc, times(3)).queryForObject(anyString(), eq(Integer.class), any(Object[].class));
        verify(handOff, never()).mustWait(eq("c2c-messages"));
    }

    private static OldSystemChange groupMessage(String group) {
        return new OldSystemChange("group_message", "1", 1L, "1", null, group, null, "text", "hi", null, null, null, null, null,
                null, null, null, null);
    }
}
