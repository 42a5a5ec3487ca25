package org.imsmooth.ops.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sync latency histogram ({@code imsmooth_sync_latency_seconds_bucket{direction,kind,le}}) as the
 * service publishes it on /actuator/prometheus, and quantiles estimated from it the way Prometheus'
 * histogram_quantile does (linear inside the bucket). A snapshot taken before a phase is subtracted,
 * so warm-up events do not count. Micrometer's buckets are about 10% apart: so is the estimate.
 */
final class LatencyQuantiles {

    private static final String SERIES = "imsmooth_sync_latency_seconds_bucket{";
    private static final String STAGE_SERIES = "imsmooth_sync_stage_seconds_bucket{";

    /** Cumulative counts by upper bound in seconds (+Inf as infinity). */
    private final TreeMap<Double, Long> buckets;

    private LatencyQuantiles(TreeMap<Double, Long> buckets) {
        this.buckets = buckets;
    }

    /** The histogram of one direction, summed over the given kinds (all kinds when none given). */
    static LatencyQuantiles scrape(MigrationServiceProcess service, String direction, String... kinds) {
        return parse(service.getText("/actuator/prometheus"), direction, kinds);
    }

    /** The histogram in a Prometheus text scrape (empty when the scrape is null). */
    static LatencyQuantiles parse(String scrape, String direction, String... kinds) {
        return parse(scrape, SERIES, "direction", direction, kinds);
    }

    /**
     * The old -> IM stage histogram ({@code imsmooth_sync_stage_seconds_bucket{stage,kind,le}}) of one stage,
     * summed over the given kinds (c2c, group, event; all when none given).
     */
    static LatencyQuantiles stage(String scrape, String stage, String... kinds) {
        return parse(scrape, STAGE_SERIES, "stage", stage, kinds);
    }

    private static LatencyQuantiles parse(String scrape, String series, String label, String value, String... kinds) {
        TreeMap<Double, Long> buckets = new TreeMap<>();
        if (scrape == null) {
            return new LatencyQuantiles(buckets);
        }
        List<String> wanted = List.of(kinds);
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(series)) {
                continue;
            }
            int close = line.indexOf('}');
            Map<String, String> labels = labels(line.substring(series.length(), close));
            if (value.equals(labels.get(label)) && (wanted.isEmpty() || wanted.contains(labels.get("kind")))) {
                String le = labels.get("le");
                double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                long count = (long) Double.parseDouble(line.substring(close + 1).trim().split(" ")[0]);
                buckets.merge(bound, count, Long::sum);
            }
        }
        return new LatencyQuantiles(buckets);
    }

    /** What was recorded since the earlier snapshot. */
    LatencyQuantiles since(LatencyQuantiles earlier) {
        TreeMap<Double, Long> diff = new TreeMap<>();
        buckets.forEach((bound, count) -> diff.put(bound, count - earlier.buckets.getOrDefault(bound, 0L)));
        return new LatencyQuantiles(diff);
    }

    long count() {
        return buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
    }

    /** The q-quantile (0..1) in ms, or NaN when nothing was recorded. */
    double millis(double q) {
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lower = 0;
        long below = 0;
        for (Map.Entry<Double, Long> bucket : new ArrayList<>(buckets.entrySet())) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lower * 1000; // beyond the last finite bound: the bound is all we know
                }
                long inBucket = bucket.getValue() - below;
                double fraction = inBucket == 0 ? 1 : (rank - below) / inBucket;
                return (lower + (bucket.getKey() - lower) * fraction) * 1000;
            }
            lower = bucket.getKey();
            below = bucket.getValue();
        }
        return lower * 1000;
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim().replace("\"", ""));
            }
        }
        return labels;
    }
}
