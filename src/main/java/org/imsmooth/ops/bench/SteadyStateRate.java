package org.imsmooth.ops.bench;

import java.util.List;

/**
 * Steady-state calls/s of one API from its cumulative call counter sampled over time. The ramp-up
 * (first pages read, consumers starting) and the tail (last conversations draining) are left out:
 * the rate is measured between the moments the counter passed {@code low} and {@code high} of its
 * final value (10% and 90% by default), interpolating between samples.
 */
public final class SteadyStateRate {

    /** One reading of a cumulative counter. */
    public record Sample(long atMillis, long count) {
    }

    /** The rate and the window it was measured over; {@code rate} is NaN when there is too little data. */
    public record Result(double callsPerSecond, long fromMillis, long toMillis, long calls) {
        public boolean measured() {
            return !Double.isNaN(callsPerSecond);
        }
    }

    private SteadyStateRate() {
    }

    public static Result of(List<Sample> samples) {
        return of(samples, 0.10, 0.90);
    }

    public static Result of(List<Sample> samples, double low, double high) {
        if (samples.size() < 2 || !(low >= 0 && low < high && high <= 1)) {
            return new Result(Double.NaN, 0, 0, 0);
        }
        long first = samples.get(0).count();
        long last = samples.get(samples.size() - 1).count();
        long total = last - first;
        if (total <= 0) {
            return new Result(Double.NaN, 0, 0, 0);
        }
        double from = crossing(samples, first + low * total);
        double to = crossing(samples, first + high * total);
        if (!(to > from)) {
            return new Result(Double.NaN, 0, 0, 0);
        }
        long calls = Math.round((high - low) * total);
        return new Result((high - low) * total * 1000.0 / (to - from), Math.round(from), Math.round(to), calls);
    }

    /** The time at which the (monotonic) counter reached {@code level}, linear between samples. */
    static double crossing(List<Sample> samples, double level) {
        for (int i = 1; i < samples.size(); i++) {
            Sample a = samples.get(i - 1);
            Sample b = samples.get(i);
            if (b.count() >= level && b.count() > a.count()) {
                double share = Math.max(0, (level - a.count()) / (double) (b.count() - a.count()));
                return a.atMillis() + share * (b.atMillis() - a.atMillis());
            }
        }
        return samples.get(samples.size() - 1).atMillis();
    }
}
