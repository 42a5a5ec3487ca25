package org.imsmooth.state;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Conversations whose history the import delivered while their stage still runs (table
 * {@code import_hand_off}): shared by every instance; "handed off" is final, so positive answers are
 * kept in memory as a cache of the database. A stage read group by group records one row per group
 * (a thousand in a few seconds): they are written through {@link GroupCommit}, so many share one
 * commit (with {@code WRITE_DELAY=0} each commit of its own stored a chunk).
 */
@Component
public class ImportHandOffs {

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final GroupCommit commits;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    public ImportHandOffs(JdbcTemplate jdbc, GroupCommit commits) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.commits = commits;
    }

    /** Records the hand-off and returns once it is committed (the caller then acknowledges its marker). */
    public void record(String stage, String conversation) {
        record(stage, List.of(conversation));
    }

    /** Records the hand-offs in one commit and returns once it is done (the caller then acknowledges its marker). */
    public void record(String stage, List<String> conversations) {
        Timestamp now = Timestamp.from(Instant.now());
        try {
            // a redelivered marker finds its rows: skipped rather than failing the shared transaction
            commits.run(() -> insertMissing(stage, conversations, now));
        } catch (DuplicateKeyException again) {
            // recorded meanwhile by another consumer of the same marker (a redelivery after a lost connection)
            commits.run(() -> insertMissing(stage, conversations, now));
        }
        conversations.forEach(c -> seen.add(stage + "\n" + c));
    }

    /** One lookup for the marker's conversations and one batch of inserts for those not recorded yet. */
    private void insertMissing(String stage, List<String> conversations, Timestamp now) {
        Set<String> recorded = new java.util.HashSet<>(named.queryForList(
                "SELECT conversation FROM import_hand_off WHERE stage = :stage AND conversation IN (:conversations)",
                new MapSqlParameterSource("stage", stage).addValue("conversations", conversations), String.class));
        List<Object[]> missing = conversations.stream().distinct().filter(c -> !recorded.contains(c))
                .map(c -> new Object[] {stage, c, now}).toList();
        if (!missing.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO import_hand_off (stage, conversation, handed_at) VALUES (?,?,?)", missing);
        }
    }

    private boolean exists(String stage, String conversation) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM import_hand_off WHERE stage = ? AND conversation = ?", Integer.class,
                stage, conversation);
        return n != null && n > 0;
    }

    public boolean handedOff(String stage, String conversation) {
        String key = stage + "\n" + conversation;
        if (seen.contains(key)) {
            return true;
        }
        if (exists(stage, conversation)) {
            seen.add(key);
            return true;
        }
        return false;
    }
}
