package org.imsmooth.sandbox.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.SandboxProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Accounts and their profile tags. Existence is cached: every message import asks twice. */
@Component
@ConditionalOnSandbox
public class AccountStore {

    /** One stored profile value; {@code integer} tags come back as JSON numbers. */
    public record ProfileValue(String value, boolean integer) {
    }

    private final SandboxDatabase db;
    private final JdbcTemplate jdbc;
    // Accounts are never deleted except by a full reset, so a positive cache is safe.
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    private final String admin;

    public AccountStore(SandboxDatabase db, SandboxProperties props) {
        this.db = db;
        this.jdbc = db.jdbc();
        this.admin = props.getAdmin();
    }

    public boolean exists(String userId) {
        if (userId == null) {
            return false;
        }
        // The App admin is an account of the app from the start, as on the real service.
        if (known.contains(userId) || userId.equals(admin)) {
            return true;
        }
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM sb_account WHERE user_id = ?", Integer.class, userId);
        if (n != null && n > 0) {
            known.add(userId);
            return true;
        }
        return false;
    }

    /** Idempotent import; profile values (may be empty) are written in the same transaction. */
    public void importAccount(String userId, Map<String, ProfileValue> profile) {
        db.tx().executeWithoutResult(s -> {
            jdbc.update("MERGE INTO sb_account (user_id, created_at) KEY (user_id) VALUES (?, ?)",
                    userId, System.currentTimeMillis() / 1000);
            writeProfile(userId, profile);
        });
        known.add(userId);
    }

    public void setProfile(String userId, Map<String, ProfileValue> profile) {
        db.tx().executeWithoutResult(s -> writeProfile(userId, profile));
    }

    private void writeProfile(String userId, Map<String, ProfileValue> profile) {
        if (profile.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        profile.forEach((tag, v) -> rows.add(new Object[] {userId, tag, v.value(), v.integer()}));
        jdbc.batchUpdate("MERGE INTO sb_profile (user_id, tag, val, is_int) KEY (user_id, tag) VALUES (?, ?, ?, ?)", rows);
    }

    public Map<String, ProfileValue> profile(String userId, Collection<String> tags) {
        Map<String, ProfileValue> all = new LinkedHashMap<>();
        jdbc.query("SELECT tag, val, is_int FROM sb_profile WHERE user_id = ? ORDER BY tag",
                rs -> {
                    all.put(rs.getString(1), new ProfileValue(rs.getString(2), rs.getBoolean(3)));
                }, userId);
        Map<String, ProfileValue> out = new LinkedHashMap<>();
        for (String t : tags) {
            if (all.containsKey(t)) {
                out.put(t, all.get(t));
            }
        }
        return out;
    }

    public void clearCache() {
        known.clear();
    }
}
