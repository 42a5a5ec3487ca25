package org.imsmooth.ops.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.imsmooth.im.api.ImApi;

/**
 * The reconciliation's own figure: its wall time (from the report: the old system compared with the id
 * map, then IM read back, kind after kind) against its quota-bound lower bound. The kinds are read back
 * one after another, each with its own API (group history and groups share get_group_info), so the
 * bound is the sum over the APIs of read-back calls / the API's quota.
 */
final class ReconciliationBound {

    static final double GOAL = 1.1;

    private ReconciliationBound() {
    }

    /** The figures of one report ({@code seconds}, {@code readBackCalls}), or null without a report. */
    static Map<String, Object> of(JsonNode report) {
        if (report == null || !report.path("readBackCalls").isObject()) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> perApi = new LinkedHashMap<>();
        double bound = 0;
        long calls = 0;
        for (var it = report.path("readBackCalls").fields(); it.hasNext(); ) {
            var e = it.next();
            int quota = ImApi.byCommand(e.getKey()).map(ImApi::defaultCallsPerSecond)
                    .orElseThrow(() -> new IllegalStateException("unknown read-back API " + e.getKey()));
            long n = e.getValue().asLong();
            double seconds = (double) n / quota;
            bound += seconds;
            calls += n;
            Map<String, Object> api = new LinkedHashMap<>();
            api.put("calls", n);
            api.put("quota", quota);
            api.put("secondsAtQuota", QuotaThroughput.round(seconds));
            perApi.put(e.getKey(), api);
        }
        double measured = report.path("seconds").asDouble(Double.NaN);
        out.put("balanced", report.path("balanced").asBoolean());
        out.put("sample", report.path("sample").asText());
        out.put("readBackCalls", calls);
        out.put("apis", perApi);
        out.put("measuredSeconds", QuotaThroughput.round(measured));
        out.put("lowerBoundSeconds", QuotaThroughput.round(bound));
        out.put("ratio", bound > 0 ? QuotaThroughput.round(measured / bound) : null);
        out.put("callsPerSecond", measured > 0 ? QuotaThroughput.round(calls / measured) : null);
        out.put("pass", bound > 0 && measured <= GOAL * bound);
        return out;
    }
}
