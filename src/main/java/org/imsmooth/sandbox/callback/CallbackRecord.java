package org.imsmooth.sandbox.callback;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One delivered (or attempted) callback as GET /sandbox/admin/callbacks shows it. {@code query} is the
 * query string without Sign, so the log never holds anything derived from the token.
 */
public record CallbackRecord(long id, String command, String optPlatform, String query, long requestTime,
                             int httpStatus, String outcome, long durationMs, JsonNode body) {
}
