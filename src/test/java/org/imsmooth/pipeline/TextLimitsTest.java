package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.imsmooth.canonical.RejectedRecordException;
import org.junit.jupiter.api.Test;

/** A group name is 30 bytes: only 10 Chinese characters. Cut at a character boundary, or reject. */
class TextLimitsTest {

    @Test
    void cutsAtACharacterBoundaryAndReportsIt() {
        TextLimits limits = new TextLimits(new ImportMode(false, true));
        TextLimits.Fitted fitted = limits.fit("g5", "Name", "深圳产品研发中心第五小组讨论群", 30);
        assertThat(fitted.value()).isEqualTo("深圳产品研发中心第五");
        assertThat(fitted.value().getBytes(StandardCharsets.UTF_8)).hasSize(30);
        assertThat(fitted.truncated()).isTrue();
        assertThat(fitted.note()).contains("Name is 45 bytes, IM allows 30");

        TextLimits.Fitted mixed = limits.fit("g6", "Name", "ab深圳cd", 7);
        assertThat(mixed.value()).isEqualTo("ab深"); // the next 3-byte character would exceed 7 bytes
        TextLimits.Fitted emoji = limits.fit("u1", "Nick", "hi😀😀", 7);
        assertThat(emoji.value()).isEqualTo("hi😀"); // a surrogate pair is never split

        assertThat(limits.fit("g7", "Name", "Group 7", 30).truncated()).isFalse();
        assertThat(limits.fit("g8", "Name", null, 30).value()).isNull();
    }

    @Test
    void rejectsInsteadWhenTruncationIsOff() {
        TextLimits limits = new TextLimits(new ImportMode(false, false));
        assertThatThrownBy(() -> limits.fit("g5", "Name", "深圳产品研发中心第五小组讨论群", 30))
                .isInstanceOf(RejectedRecordException.class).hasMessageContaining("Name is 45 bytes, IM allows 30");
    }
}
