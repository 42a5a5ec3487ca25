package org.imsmooth.state;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Conversations whose history the import delivered while their stage still runs (table
 * {@code import_hand_off}): shared by every instance; "handed off" is final, so positive answers are
 * kept in memory as a cache of the database.
 */
@Component
public class ImportHandOffs {

    private final JdbcTemplate jdbc;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    public ImportHandOffs(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String stage, String conversation) {
        try {
            jdbc.update("INSERT INTO import_hand_off (stage, conversation, handed_at) VALUES (?,?,?)", stage, conversation,
                    Timestamp.from(Instant.now()));
        } catch (DuplicateKeyException again) {
            // a redelivered marker
        }
        seen.add(stage + "\n" + conversation);
    }

    public boolean handedOff(String stage, String conversation) {
        String key = stage + "\n" + conversation;
        if (seen.contains(key)) {
            return true;
        }
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM import_hand_off WHERE stage = ? AND conversation = ?", Integer.class,
                stage, conversation);
        if (n != null && n > 0) {
            seen.add(key);
            return true;
        }
        return false;
    }
}
