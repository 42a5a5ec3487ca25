package org.imsmooth.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The sync benchmarks' quantiles, estimated from the latency histogram the service publishes. */
class LatencyQuantilesTest {

    private static String scrape(long fast, long slow, long slowest) {
        return "# TYPE imsmooth_sync_latency_seconds histogram\n"
                + "imsmooth_sync_latency_seconds_bucket{direction=\"im-to-old\",kind=\"group-message\",le=\"0.01\"} " + fast + "\n"
                + "imsmooth_sync_latency_seconds_bucket{direction=\"im-to-old\",kind=\"group-message\",le=\"0.1\"} " + (fast + slow) + "\n"
                + "imsmooth_sync_latency_seconds_bucket{direction=\"im-to-old\",kind=\"group-message\",le=\"1.0\"} " + (fast + slow + slowest) + "\n"
                + "imsmooth_sync_latency_seconds_bucket{direction=\"im-to-old\",kind=\"group-message\",le=\"+Inf\"} " + (fast + slow + slowest) + "\n"
                + "imsmooth_sync_latency_seconds_bucket{direction=\"im-to-old\",kind=\"c2c-message\",le=\"+Inf\"} 5000\n"
                + "imsmooth_sync_latency_seconds_bucket{direction=\"old-to-im\",kind=\"group-message\",le=\"+Inf\"} 7000\n";
    }

    @Test
    void quantilesInterpolateInsideTheirBucketForOneDirectionAndKind() {
        LatencyQuantiles q = LatencyQuantiles.parse(scrape(90, 9, 1), "im-to-old", "group-message");
        assertThat(q.count()).isEqualTo(100);
        assertThat(q.millis(0.5)).isCloseTo(5.56, within(0.01)); // 50th of 90 in (0, 10 ms]
        assertThat(q.millis(0.99)).isCloseTo(100.0, within(0.01)); // the 99th is the last of (10, 100 ms]
    }

    @Test
    void aSnapshotTakenBeforeIsSubtracted() {
        LatencyQuantiles warmup = LatencyQuantiles.parse(scrape(0, 0, 50), "im-to-old", "group-message");
        LatencyQuantiles after = LatencyQuantiles.parse(scrape(100, 0, 50), "im-to-old", "group-message");
        LatencyQuantiles phase = after.since(warmup);
        assertThat(phase.count()).isEqualTo(100);
        assertThat(phase.millis(0.99)).isLessThanOrEqualTo(10.0);
    }

    @Test
    void nothingRecordedOrNoScrapeIsNotANumber() {
        assertThat(LatencyQuantiles.parse(null, "im-to-old").millis(0.5)).isNaN();
        assertThat(LatencyQuantiles.parse(scrape(0, 0, 0), "im-to-old", "group-message").millis(0.99)).isNaN();
    }
}
