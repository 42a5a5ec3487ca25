package org.imsmooth.sync.toold;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;

/**
 * Tells an unreachable or refusing old system (wait and retry, never dead-letter) from bad data (a
 * permanent failure). SQLState classes: 08 connection, 28 authorization, 53 resources, 57 operator
 * intervention (shutdown), 40 rolled back (deadlock, serialization), 42501 access revoked, HY000
 * with a closed connection; plus Hikari's connection timeout, failed begin/commit/rollback (the
 * connection died under the transaction) and I/O failures of the HTTP writer.
 */
public final class OldSystemOutage {

    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "28", "53", "57", "40");

    private OldSystemOutage() {
    }

    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OldSystemUnavailableException
                    || t instanceof CannotGetJdbcConnectionException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof TransactionException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessException
                    || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException
                    || t instanceof ConnectException
                    || t instanceof HttpConnectTimeoutException
                    || t instanceof HttpTimeoutException
                    || t instanceof java.io.IOException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.length() >= 2 && TRANSIENT_CLASSES.contains(state.substring(0, 2)) || "42501".equals(state)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The old system answered, but not now (HTTP 5xx, 429): wait and retry like a connection failure. */
    public static class OldSystemUnavailableException extends RuntimeException {
        public OldSystemUnavailableException(String reason) {
            super(reason);
        }
    }
}
