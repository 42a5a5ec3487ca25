package org.imsmooth.sync.toold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Optional;

import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.state.IdMap;
import org.junit.jupiter.api.Test;

/** IM ids back to old ids: the inverse of the id rule first for users, the id map first for groups. */
class OldIdsTest {

    final IdMap idMap = mock(IdMap.class);
    final OldIds ids = new OldIds("u%s", "grp-%s-x", true, idMap);

    @Test
    void usersByTheInverseRuleElseTheIdMap() {
        when(idMap.oldIdOf("account", "alice")).thenReturn(Optional.of("77"));
        when(idMap.oldIdOf("account", "bob")).thenReturn(Optional.empty());
        assertThat(ids.user("u42", "src")).isEqualTo(42L);
        assertThat(ids.user("alice", "src")).isEqualTo(77L);
        assertThatThrownBy(() -> ids.user("bob", "src")).isInstanceOf(RejectedRecordException.class)
                .hasMessageContaining("bob").hasMessageContaining("no old-system id");
        assertThatThrownBy(() -> ids.user("uxyz", "src")).as("not a number: outside the rule").isInstanceOf(RejectedRecordException.class);
    }

    @Test
    void groupsByTheIdMapElseTheRuleWithCommunityPrefix() {
        when(idMap.oldIdOf("group", "@TGS#2ABC")).thenReturn(Optional.of("31"));
        when(idMap.oldIdOf("group", "grp-5-x")).thenReturn(Optional.empty());
        when(idMap.oldIdOf("group", "@TGS#_grp-6-x")).thenReturn(Optional.empty());
        when(idMap.oldIdOf("group", "team")).thenReturn(Optional.empty());
        assertThat(ids.group("@TGS#2ABC")).contains(31L);
        assertThat(ids.group("grp-5-x")).contains(5L);
        assertThat(ids.group("@TGS#_grp-6-x")).contains(6L);
        assertThat(ids.group("team")).isEmpty();
    }

    @Test
    void nonNumericOldIdsWhenTheSchemaHasThem() {
        OldIds textual = new OldIds("u%s", "g%s", false, idMap);
        when(idMap.oldIdOf("group", "gteam")).thenReturn(Optional.empty());
        assertThat(textual.user("ualice", "src")).isEqualTo("alice");
        assertThat(textual.group("gteam")).contains("team");
    }
}
