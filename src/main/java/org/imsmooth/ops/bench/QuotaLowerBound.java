package org.imsmooth.ops.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shortest wall time the import can take at the APIs' quotas: each stage needs at least
 * (its calls / its API's quota) seconds, a stage starts when the stages it waits for are done, and
 * stages on different APIs run side by side. So the bound is the longest dependency chain of
 * {@code migration.stages}, weighted by those durations (the critical path).
 */
public final class QuotaLowerBound {

    /** The bound in seconds and the chain that sets it, first stage first. */
    public record Result(double seconds, List<String> chain, Map<String, Double> stageSeconds) {
    }

    private QuotaLowerBound() {
    }

    /**
     * @param plan     stage -> stages it waits for (as in {@code migration.stages})
     * @param calls    stage -> calls it needs
     * @param quota    stage -> its API's calls per second
     */
    public static Result of(Map<String, List<String>> plan, Map<String, Long> calls, Map<String, Double> quota) {
        Map<String, Double> own = new LinkedHashMap<>();
        for (String stage : plan.keySet()) {
            double perSecond = quota.getOrDefault(stage, 0.0);
            long n = calls.getOrDefault(stage, 0L);
            if (n > 0 && !(perSecond > 0)) {
                throw new IllegalArgumentException("stage " + stage + " makes calls but has no quota");
            }
            own.put(stage, n == 0 ? 0.0 : n / perSecond);
        }
        Map<String, Double> finish = new HashMap<>();
        Map<String, String> via = new HashMap<>();
        String end = null;
        for (String stage : plan.keySet()) {
            finishTime(stage, plan, own, finish, via, new ArrayList<>());
            if (end == null || finish.get(stage) > finish.get(end)) {
                end = stage;
            }
        }
        List<String> chain = new ArrayList<>();
        for (String s = end; s != null; s = via.get(s)) {
            chain.add(0, s);
        }
        return new Result(end == null ? 0 : finish.get(end), chain, own);
    }

    private static double finishTime(String stage, Map<String, List<String>> plan, Map<String, Double> own,
                                     Map<String, Double> finish, Map<String, String> via, List<String> path) {
        Double known = finish.get(stage);
        if (known != null) {
            return known;
        }
        if (path.contains(stage)) {
            throw new IllegalArgumentException("migration.stages has a cycle: " + path + " -> " + stage);
        }
        if (!plan.containsKey(stage)) {
            throw new IllegalArgumentException("unknown stage '" + stage + "'");
        }
        path.add(stage);
        double start = 0;
        for (String dependency : plan.get(stage)) {
            double d = finishTime(dependency, plan, own, finish, via, path);
            if (d > start || !via.containsKey(stage)) {
                start = Math.max(start, d);
                via.put(stage, dependency);
            }
        }
        path.remove(path.size() - 1);
        double done = start + own.get(stage);
        finish.put(stage, done);
        return done;
    }
}
