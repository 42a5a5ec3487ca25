package org.imsmooth.pipeline.reconcile;

/**
 * Which acknowledged records the reconciliation reads back from IM ({@code migration.reconcile.sample}):
 * {@code all} (the default), or a number N: N records per kind, spread evenly over the kind's id map
 * (every k-th record in the id map's order, not the first N), so that a sample of a million accounts
 * looks at the whole range. Every record is still compared with the old system and the id map; only
 * the read-back calls are sampled.
 */
record Sample(long perKind) {

    static final Sample ALL = new Sample(Long.MAX_VALUE);

    static Sample parse(String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty() || v.equalsIgnoreCase("all")) {
            return ALL;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return new Sample(n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("migration.reconcile.sample must be 'all' or a number of records per kind (0 or more), was '" + value + "'");
        }
    }

    boolean all() {
        return perKind == Long.MAX_VALUE;
    }

    /** How many of {@code population} acknowledged records are read back. */
    long size(long population) {
        return Math.min(perKind, Math.max(0, population));
    }

    /** What the report says was sampled. */
    String describe() {
        return all() ? "all acknowledged records read back" : perKind + " acknowledged records per kind read back, spread evenly over the id map";
    }

    /** Picks records from a stream of {@code population} in order; call {@link Picker#take} once per record. */
    Picker picker(long population) {
        return new Picker(size(population), Math.max(1, population));
    }

    /** Record i of n is taken when floor((i+1)·k/n) > floor(i·k/n): exactly k records, evenly spread. */
    static final class Picker {
        private final long wanted;
        private final long population;
        private long index;
        private long taken;

        Picker(long wanted, long population) {
            this.wanted = wanted;
            this.population = population;
        }

        boolean take() {
            if (taken >= wanted) {
                return false;
            }
            long i = index++;
            // more records than counted (written since): take them while the sample is short
            boolean pick = wanted >= population || i >= population
                    || (i + 1) * wanted / population > i * wanted / population;
            if (pick) {
                taken++;
            }
            return pick;
        }

        long wanted() {
            return wanted;
        }

        /** Whether every record is taken (no sampling). */
        boolean all() {
            return wanted >= population;
        }
    }
}
