package org.imsmooth.state;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * The id map's statements that are said differently on the state databases, chosen once from the
 * connection ({@link #of}, {@link StateDatabase#of}): PostgreSQL, H2, and standard SQL for the others (MySQL, MariaDB).
 * Everything else in {@link IdMap} is the same SQL on all of them.
 * <ul>
 * <li>Batch lookups by primary key ({@link #keys}): H2 (and the others) take a list of (kind, old_id) row
 * values, which H2 looks up one by one in the primary key; PostgreSQL takes {@code kind = ? AND old_id = ANY(?)} with the
 * old ids as one array, one index scan whatever the table's statistics (row values were planned as a scan
 * of the kind's every row when the table had never been analyzed: over a second per lookup at 100,000
 * rows, and a tenth of a second to plan when it had).</li>
 * <li>A new row ({@link #insertUnlessMapped}): one INSERT that skips an old id mapped already. A failed
 * statement would abort a shared PostgreSQL transaction (the state writer's), so there the INSERT says
 * {@code ON CONFLICT (kind, old_id) DO NOTHING}; the others keep their transaction after a duplicate key.</li>
 * <li>An existing row ({@link #updateReturningPrevious}): an UPDATE that also tells the state the
 * row had, so that a record acknowledged twice is counted once: H2 reads it from the statement's
 * {@code OLD TABLE}, PostgreSQL from the row it locks first (one statement each); the others run an
 * UPDATE per state it may have had, each one atomic (a dead letter, done, anything else).</li>
 * </ul>
 */
abstract class IdMapDialect {

    /** An id map row to write. */
    record Row(String kind, String oldId, String imId, String origin, String state, String conversation, String detail,
               String deadLetterRef, String awaitedKind, String awaitedOldId, Timestamp at) {
    }

    /** What an updated row was before: none (nothing updated), dead-lettered (rejected or failed), done, or anything else. */
    enum Was { NONE, DEAD_LETTER, DONE, OTHER;

        static Was of(String state) {
            if (state == null) {
                return NONE;
            }
            return switch (state) {
                case IdMap.REJECTED, IdMap.FAILED -> DEAD_LETTER;
                case IdMap.DONE -> DONE;
                default -> OTHER;
            };
        }
    }

    /** A condition on the id map's primary key and the named parameters it takes. */
    record Keys(String condition, MapSqlParameterSource parameters) {
    }

    static final String COLUMNS = "kind, old_id, im_id, origin, state, conversation, detail, dead_letter_ref, awaited_kind, "
            + "awaited_old_id, created_at, updated_at";
    static final String SET = "im_id = ?, state = ?, conversation = ?, detail = ?, dead_letter_ref = ?, awaited_kind = ?, "
            + "awaited_old_id = ?, updated_at = ?";

    /** The template the statements run on (the state database's, in the caller's transaction). */
    final JdbcTemplate jdbc;

    IdMapDialect(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    static IdMapDialect of(JdbcTemplate jdbc) {
        DatabaseDriver engine = jdbc.execute((ConnectionCallback<DatabaseDriver>) StateDatabase::of);
        return switch (engine) {
            case POSTGRESQL -> new Postgres(jdbc);
            case H2 -> new H2(jdbc);
            default -> new Standard(jdbc);
        };
    }

    /** The rows of these old ids of one kind; the condition names the columns under {@code alias} (or none). Ids not empty. */
    abstract Keys keys(String alias, String kind, Collection<String> oldIds);

    /** The rows of every one of these old ids under every one of these kinds. Ids not empty. */
    abstract Keys keys(Collection<String> oldIds, String... kinds);

    /**
     * Inserts the row unless its old id is mapped already (true when it inserted). Only the old id is a
     * "conflict": an IM id mapped under another old id fails ({@link DuplicateKeyException}), as with any INSERT.
     */
    abstract boolean insertUnlessMapped(Row row);

    /** Updates the old id's row; says what it was before ({@link Was#NONE} when there was none). */
    abstract Was updateReturningPrevious(Row row);

    /** Inserts the row: a {@link DuplicateKeyException} when either side's id is mapped already. */
    void insert(Row row) {
        jdbc.update("INSERT INTO id_map (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", insertValues(row));
    }

    static Object[] insertValues(Row row) {
        return new Object[] {row.kind(), row.oldId(), row.imId(), row.origin(), row.state(), row.conversation(), row.detail(),
                row.deadLetterRef(), row.awaitedKind(), row.awaitedOldId(), row.at(), row.at()};
    }

    static Object[] updateValues(Row row) {
        return new Object[] {row.imId(), row.state(), row.conversation(), row.detail(), row.deadLetterRef(), row.awaitedKind(),
                row.awaitedOldId(), row.at(), row.kind(), row.oldId()};
    }

    /** Standard SQL: MySQL, MariaDB (and the base of {@link H2}). */
    static class Standard extends IdMapDialect {

        Standard(JdbcTemplate jdbc) {
            super(jdbc);
        }

        @Override
        Keys keys(String alias, String kind, Collection<String> oldIds) {
            List<Object[]> keys = new ArrayList<>(paddedSize(oldIds.size()));
            for (String oldId : oldIds) {
                keys.add(new Object[] {kind, oldId});
            }
            return rowValues(alias, keys);
        }

        @Override
        Keys keys(Collection<String> oldIds, String... kinds) {
            List<Object[]> keys = new ArrayList<>(paddedSize(oldIds.size() * kinds.length));
            for (String oldId : oldIds) {
                for (String kind : kinds) {
                    keys.add(new Object[] {kind, oldId});
                }
            }
            return rowValues("", keys);
        }

        /**
         * The list is padded (its last key repeated) to one of a few lengths, so the statement's text is one of
         * a few too: the database parses each distinct text, and a parse cost more than the lookups.
         */
        private static Keys rowValues(String alias, List<Object[]> keys) {
            Object[] last = keys.get(keys.size() - 1);
            for (int padded = paddedSize(keys.size()); keys.size() < padded; ) {
                keys.add(last);
            }
            String prefix = alias.isEmpty() ? "" : alias + ".";
            return new Keys("(" + prefix + "kind, " + prefix + "old_id) IN (:keys)", new MapSqlParameterSource("keys", keys));
        }

        @Override
        boolean insertUnlessMapped(Row row) {
            try {
                insert(row);
                return true;
            } catch (DuplicateKeyException exists) {
                Integer mapped = jdbc.queryForObject("SELECT COUNT(*) FROM id_map WHERE kind = ? AND old_id = ?", Integer.class,
                        row.kind(), row.oldId());
                if (mapped == null || mapped == 0) {
                    throw exists; // not this old id's row: the IM id is another's
                }
                return false;
            }
        }

        @Override
        Was updateReturningPrevious(Row row) {
            String update = "UPDATE id_map SET " + SET + " WHERE kind = ? AND old_id = ?";
            if (jdbc.update(update + " AND state IN ('" + IdMap.REJECTED + "', '" + IdMap.FAILED + "')", updateValues(row)) > 0) {
                return Was.DEAD_LETTER;
            }
            if (jdbc.update(update + " AND state = '" + IdMap.DONE + "'", updateValues(row)) > 0) {
                return Was.DONE;
            }
            return jdbc.update(update, updateValues(row)) > 0 ? Was.OTHER : Was.NONE;
        }
    }

    static final class H2 extends Standard {

        H2(JdbcTemplate jdbc) {
            super(jdbc);
        }

        @Override
        Was updateReturningPrevious(Row row) {
            List<String> before = jdbc.queryForList("SELECT state FROM OLD TABLE (UPDATE id_map SET " + SET
                    + " WHERE kind = ? AND old_id = ?)", String.class, updateValues(row));
            return Was.of(before.isEmpty() ? null : before.get(0));
        }
    }

    static final class Postgres extends IdMapDialect {

        Postgres(JdbcTemplate jdbc) {
            super(jdbc);
        }

        @Override
        Keys keys(String alias, String kind, Collection<String> oldIds) {
            String prefix = alias.isEmpty() ? "" : alias + ".";
            return new Keys(prefix + "kind = :kind AND " + prefix + "old_id = ANY(:ids)",
                    new MapSqlParameterSource("kind", kind).addValue("ids", oldIds.toArray(String[]::new)));
        }

        @Override
        Keys keys(Collection<String> oldIds, String... kinds) {
            return new Keys("kind = ANY(:kinds) AND old_id = ANY(:ids)",
                    new MapSqlParameterSource("kinds", kinds).addValue("ids", oldIds.toArray(String[]::new)));
        }

        @Override
        boolean insertUnlessMapped(Row row) {
            return jdbc.update("INSERT INTO id_map (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (kind, old_id) DO NOTHING",
                    insertValues(row)) > 0;
        }

        @Override
        Was updateReturningPrevious(Row row) {
            // the row is locked (and read at its latest version) before the UPDATE changes it
            Object[] update = updateValues(row);
            Object[] values = new Object[update.length + 2];
            values[0] = row.kind();
            values[1] = row.oldId();
            System.arraycopy(update, 0, values, 2, update.length);
            List<String> before = jdbc.queryForList("WITH was AS (SELECT state FROM id_map WHERE kind = ? AND old_id = ? FOR UPDATE) "
                    + "UPDATE id_map m SET " + SET + " FROM was WHERE m.kind = ? AND m.old_id = ? RETURNING was.state", String.class, values);
            return Was.of(before.isEmpty() ? null : before.get(0));
        }
    }

    /** The next power of two, from 4. */
    static int paddedSize(int n) {
        return Math.max(4, Integer.highestOneBit(Math.max(1, n - 1)) << 1);
    }
}
