package org.imsmooth.pipeline.pacing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

/**
 * Buckets in the state database (table {@code api_quota_bucket}, Flyway V8), shared by every instance
 * that uses it: IM's quota belongs to the app, not to an instance. Bucket4j's PostgreSQL backend locks the
 * bucket's row ({@code SELECT ... FOR UPDATE}) and reads the time only once it holds the lock, so the
 * instances' reservations are applied in time order. Each reservation takes several calls' tokens at
 * once (the pacer's batch), so the database is asked a few times a second per API, not per call.
 */
public class SharedCallPermits implements CallPermits {

    static final String TABLE = "api_quota_bucket";

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
    private final Map<String, BucketProxy> proxies = new ConcurrentHashMap<>();

    public SharedCallPermits(DataSource stateDatabase, PacingClock clock) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(stateDatabase)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(TABLE)
                .idColumn("id")
                .stateColumn("state")
                .clientClock(clock)
                .build();
    }

    @Override
    public Reservation reserve(String command, Refill refill, long tokens) {
        String key = refill.key(command);
        BucketProxy bucket = proxies.computeIfAbsent(key, k -> buckets.builder().build(k, refill::configuration));
        VerboseResult<Long> result = bucket.asVerbose().consumeIgnoringRateLimits(tokens);
        return new Reservation(result.getOperationTimeNanos(), result.getValue());
    }

    @Override
    public boolean shared() {
        return true;
    }
}
