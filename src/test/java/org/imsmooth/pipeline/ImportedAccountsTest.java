package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.imsmooth.support.FreshStateDatabase;
import java.util.Arrays;
import java.util.List;

import org.imsmooth.canonical.ImIdRule;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.state.IdMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Imported users come from the id map; users met before are not looked up again, users not imported are. */
class ImportedAccountsTest {

    private IdMap idMap;
    private JdbcTemplate jdbc;
    private ImportedAccounts accounts;

    @BeforeEach
    void stateDatabase() {
        javax.sql.DataSource dataSource = FreshStateDatabase.h2("imported-accounts");
        jdbc = new JdbcTemplate(dataSource);
        idMap = new IdMap(jdbc);
        accounts = new ImportedAccounts(idMap, new ImIdRule("u%s", "g%s"));
    }

    @Test
    void onlyAcknowledgedAccountsCountAndALaterImportIsSeen() {
        idMap.recordDone("accounts", "1", "u1", "old", null, null);
        idMap.recordRejected("accounts", "2", "old", "bad nick");
        assertThat(accounts.imported(Arrays.asList("1", "2", "3", null, "1"))).containsExactly("1");
        assertThat(accounts.userId(accounts.imported(List.of("1")), "m9", "1", "sender")).isEqualTo("u1");
        assertThatThrownBy(() -> accounts.userId(accounts.imported(List.of("3")), "m9", "3", "sender"))
                .isInstanceOf(RejectedRecordException.class).hasMessageContaining("unknown sender '3'");

        // a user not imported yet is asked about again: a DLQ replay of its account may have imported it since
        idMap.recordDone("accounts", "3", "u3", "old", null, null);
        assertThat(accounts.imported(List.of("1", "3"))).containsExactlyInAnyOrder("1", "3");
    }

    @Test
    void aUserFoundImportedIsNotLookedUpAgain() {
        idMap.recordDone("accounts", "1", "u1", "old", null, null);
        assertThat(accounts.imported(List.of("1"))).containsExactly("1");
        // remove the row behind the service's back: the remembered answer stands (IM still has the account)
        jdbc.update("DELETE FROM id_map WHERE kind = 'accounts' AND old_id = '1'");
        assertThat(accounts.imported(List.of("1"))).containsExactly("1");
        assertThat(new ImportedAccounts(idMap, new ImIdRule("u%s", "g%s")).imported(List.of("1")))
                .as("a new instance knows only what the id map holds").isEmpty();
    }
}
