package org.imsmooth.state;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Groups whose {@code import_group_msg} answers may not all be recorded (table
 * {@code group_history_call}): marked before a group's calls, cleared once their answers are in the
 * id map. A group still marked when its history comes again was interrupted (crash, retry) and must be
 * read back from IM; an unmarked one holds exactly what the id map says.
 */
@Component
public class GroupHistoryCalls {

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final GroupCommit commits;

    public GroupHistoryCalls(JdbcTemplate jdbc, GroupCommit commits) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.commits = commits;
    }

    /** Those of these GroupIds with calls whose answers may be unrecorded. */
    public Set<String> interrupted(Collection<String> groupIds) {
        if (groupIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(named.queryForList("SELECT group_id FROM group_history_call WHERE group_id IN (:ids)",
                new MapSqlParameterSource("ids", groupIds), String.class));
    }

    /** Before a group's calls (committed before it returns, so a crash during the calls leaves it). */
    public void calling(String groupId) {
        Timestamp now = Timestamp.from(Instant.now());
        try {
            commits.run(() -> jdbc.update("INSERT INTO group_history_call (group_id, started_at) VALUES (?, ?)", groupId, now));
        } catch (DuplicateKeyException stillMarked) {
            // an interrupted attempt's mark: it stays until this attempt's answers are recorded
        }
    }

    /** Every answer of the group's calls is recorded. */
    public void answered(String groupId) {
        commits.run(() -> jdbc.update("DELETE FROM group_history_call WHERE group_id = ?", groupId));
    }
}
