package org.imsmooth.sync.toim;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Change capture from the old database (routes/old-system/mapping.yml, section {@code change-capture};
 * the poll period is {@code change-capture.poll-interval-ms}, read by the capture route).
 *
 * @param enabled      poll the old database (off when only the intake endpoint feeds the sync)
 * @param settleDelay  only rows older than this are read: a transaction that commits late with an
 *                     earlier timestamp must commit within it, or the cursor has passed it
 * @param startMargin  how far before its start the first cursor is put (the import start, or the
 *                     first poll): rows in that overlap are sent at most once thanks to the id map
 * @param pageSize     rows per page
 * @param queries      capture kind -> query
 */
@ConfigurationProperties("change-capture")
public record ChangeCaptureProperties(@DefaultValue("true") boolean enabled,
                                      @DefaultValue("1s") Duration settleDelay, @DefaultValue("60s") Duration startMargin,
                                      @DefaultValue("500") int pageSize, @DefaultValue({}) Map<String, CaptureQuery> queries) {

    /**
     * @param change what each row is: c2c_message, group_message or group_event
     * @param sql    keyset page query: filters on :settled_before, :after_happened_at, :after_source_id,
     *               orders by (happened_at, source_id), ends with LIMIT :limit
     */
    public record CaptureQuery(String change, String sql) {
    }
}
