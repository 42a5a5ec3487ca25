package org.imsmooth.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** IM id rules (reference section 0 and 6): UserID <= 32 bytes printable ASCII; GroupId <= 48, no @TGS#. */
class ImIdRuleTest {

    private final ImIdRule rule = new ImIdRule("u%s", "g%s");

    @Test
    void derivesIdsFromOldIds() {
        assertThat(rule.user("42")).isEqualTo("u42");
        assertThat(rule.group(" 7 ")).isEqualTo("g7");
    }

    @Test
    void rejectsWhatImWouldRefuseWithTheReasonAndSourceId() {
        ImIdRule verbatim = new ImIdRule("%s", "%s");
        assertThatThrownBy(() -> verbatim.user("a".repeat(33)))
                .isInstanceOf(RejectedRecordException.class).hasMessageContaining("33 bytes").hasMessageContaining("at most 32")
                .satisfies(e -> assertThat(((RejectedRecordException) e).sourceId()).isEqualTo("a".repeat(33)));
        assertThat(verbatim.user("a".repeat(32))).hasSize(32);
        assertThatThrownBy(() -> verbatim.user("张三")).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> verbatim.user("tab\there")).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> verbatim.group("@TGS#2J4SZEAEL")).hasMessageContaining("@TGS#");
        assertThatThrownBy(() -> verbatim.group("g".repeat(49))).hasMessageContaining("at most 48");
        assertThatThrownBy(() -> rule.user(" ")).hasMessageContaining("missing user id");
    }
}
