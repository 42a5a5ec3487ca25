package org.imsmooth.state;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Groups with {@code import_group_msg} calls (table {@code group_history_call}): a group's row is
 * marked in flight before its calls and unmarked once their answers are in the id map. A group still
 * in flight when its history comes again was interrupted (crash, retry); a group with a row at all may
 * have earlier history in IM. Either way it is read back from IM before more is sent.
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

    /**
     * Those of these GroupIds with history calls before (GroupId -> whether calls may be unanswered):
     * interrupted ones (true), or ones whose earlier history IM holds (false).
     */
    public Map<String, Boolean> calledBefore(Collection<String> groupIds) {
        if (groupIds.isEmpty()) {
            return Map.of();
        }
        Map<String, Boolean> found = new HashMap<>();
        named.query("SELECT group_id, in_flight FROM group_history_call WHERE group_id IN (:ids)",
                new MapSqlParameterSource("ids", groupIds), rs -> { found.put(rs.getString(1), rs.getBoolean(2)); });
        return found;
    }

    /** Those of these GroupIds with calls whose answers may be unrecorded. */
    public Set<String> interrupted(Collection<String> groupIds) {
        if (groupIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(named.queryForList("SELECT group_id FROM group_history_call WHERE group_id IN (:ids) AND in_flight",
                new MapSqlParameterSource("ids", groupIds), String.class));
    }

    /**
     * Before a group's calls: committed before it returns, so a crash during the calls leaves the mark. Its
     * own short transaction, not the shared writer's queue: queued behind the outcome writes of every
     * worker, each group waited for one or two of their commits before its first call (group history ran
     * at three quarters of its quota with the state on PostgreSQL). A group's next batch comes only once
     * this one's answers are recorded ({@link #answered}), so the two never cross.
     */
    public void calling(String groupId) {
        Timestamp now = Timestamp.from(Instant.now());
        if (jdbc.update(MARK, now, groupId) == 0) {
            try {
                jdbc.update("INSERT INTO group_history_call (group_id, started_at, in_flight) VALUES (?, ?, TRUE)", groupId, now);
            } catch (DuplicateKeyException raced) {
                jdbc.update(MARK, now, groupId); // inserted meanwhile (another attempt at the group's first batch)
            }
        }
    }

    private static final String MARK = "UPDATE group_history_call SET in_flight = TRUE, started_at = ? WHERE group_id = ?";

    /**
     * Every answer of the group's calls is recorded: queued after their writes, so committed with or after
     * them (the writer keeps the queue's order). The caller waits for the returned commit before it
     * acknowledges its work.
     */
    public CompletableFuture<Void> answered(String groupId) {
        return commits.submit(() -> jdbc.update("UPDATE group_history_call SET in_flight = FALSE WHERE group_id = ?", groupId));
    }
}
