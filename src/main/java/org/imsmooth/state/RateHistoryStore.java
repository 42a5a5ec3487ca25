package org.imsmooth.state;

import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The points of the import's rate history (table {@code rate_history}), so the status page's chart survives a
 * restart: one row per progress interval ({@code bucket}), written once per interval by whichever instance
 * samples it first, and forgotten after the history's span.
 */
@Component
public class RateHistoryStore {

    /** A stored point: when, and each stage's rate as JSON. */
    public record StoredPoint(long atMillis, String ratesJson) {
    }

    private final JdbcTemplate jdbc;

    public RateHistoryStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Keeps a point unless the interval already has one (another instance sampled it). */
    public void keep(long bucket, long atMillis, String ratesJson) {
        try {
            jdbc.update("INSERT INTO rate_history (bucket, at_millis, rates) VALUES (?, ?, ?)", bucket, atMillis, ratesJson);
        } catch (DuplicateKeyException alreadyKept) {
            // the interval's point is there
        }
    }

    /** The points from {@code fromMillis} on, oldest first. */
    public List<StoredPoint> since(long fromMillis) {
        return jdbc.query("SELECT at_millis, rates FROM rate_history WHERE at_millis >= ? ORDER BY at_millis",
                (rs, i) -> new StoredPoint(rs.getLong(1), rs.getString(2)), fromMillis);
    }

    /** Forgets the points before {@code millis}. */
    public int forgetBefore(long millis) {
        return jdbc.update("DELETE FROM rate_history WHERE at_millis < ?", millis);
    }
}
