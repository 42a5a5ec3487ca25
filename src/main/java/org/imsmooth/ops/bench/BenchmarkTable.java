package org.imsmooth.ops.bench;

import java.util.List;
import java.util.Map;

/** The Markdown summary written next to the JSON results. */
final class BenchmarkTable {

    private BenchmarkTable() {
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> results, Map<String, Boolean> goals) {
        StringBuilder md = new StringBuilder("# Import benchmark\n\n");
        Map<String, Object> machine = (Map<String, Object>) results.get("machine");
        md.append("Machine: ").append(machine.get("cores")).append(" cores, load (1 min) ").append(machine.get("load1m"))
                .append(" at start").append(machine.containsKey("load1mAtEnd") ? ", " + machine.get("load1mAtEnd") + " at end" : "")
                .append(", ").append(machine.get("java")).append(", ").append(machine.get("date"))
                .append(Boolean.TRUE.equals(results.get("quick")) ? " — **quick mode (smoke sizes)**" : "").append("\n\n");
        md.append("| Goal | Pass |\n|---|---|\n");
        goals.forEach((goal, pass) -> md.append("| ").append(goal).append(" | ").append(pass ? "pass" : "**FAIL**").append(" |\n"));
        sections(md, results);
        return md.toString();
    }

    @SuppressWarnings("unchecked")
    private static void sections(StringBuilder md, Map<String, Object> results) {
        Map<String, Object> quota = (Map<String, Object>) results.get("quotaThroughput");
        if (quota != null) {
            md.append("\n## Calls/s per API at the default quotas, ").append(quota.get("latencyMs")).append(" ms latency, ").append(quota.get("quotaWindow")).append(" quota window (load ")
                    .append(quota.get("loadBefore")).append(" → ").append(quota.get("loadAfter")).append(")\n\n");
            md.append("| API | Stage | Quota | Calls | Steady calls/s | Of quota | Rejected by quota | Imported / records | Dead-lettered |\n")
                    .append("|---|---|---|---|---|---|---|---|---|\n");
            ((Map<String, Map<String, Object>>) quota.get("apis")).forEach((api, a) -> md.append("| ").append(api).append(" | ")
                    .append(a.get("stage")).append(" | ").append(a.get("quota")).append(" | ").append(a.get("calls")).append(" | ")
                    .append(a.get("steadyCallsPerSecond")).append(" | ").append(percent(a.get("ofQuota"))).append(" | ")
                    .append(a.get("rejectedByQuota")).append(" | ").append(a.get("imported")).append(" / ").append(a.get("records"))
                    .append(" | ").append(a.get("deadLettered")).append(" |\n"));
            Map<String, Object> wall = (Map<String, Object>) quota.get("wallTime");
            md.append("\nWall time: ").append(wall.get("measuredSeconds")).append(" s measured vs ").append(wall.get("lowerBoundSeconds"))
                    .append(" s quota-bound lower bound (chain ").append(wall.get("criticalChain")).append("), ratio ")
                    .append(wall.get("ratio")).append(". Reconciliation balanced: ")
                    .append(quota.get("reconciliationBalanced") == null ? "no report" : quota.get("reconciliationBalanced"))
                    .append(".\n");
            Map<String, Object> rec = (Map<String, Object>) quota.get("reconciliation");
            if (rec != null) {
                md.append("\nReconciliation: ").append(rec.get("measuredSeconds")).append(" s measured vs ").append(rec.get("lowerBoundSeconds"))
                        .append(" s quota-bound lower bound (").append(rec.get("readBackCalls")).append(" read-back calls, ")
                        .append(rec.get("sample")).append("), ratio ").append(rec.get("ratio")).append(", ")
                        .append(rec.get("callsPerSecond")).append(" calls/s.\n\n| Read-back API | Calls | Quota | s at quota |\n|---|---|---|---|\n");
                ((Map<String, Map<String, Object>>) rec.get("apis")).forEach((api, a) -> md.append("| ").append(api).append(" | ")
                        .append(a.get("calls")).append(" | ").append(a.get("quota")).append(" | ").append(a.get("secondsAtQuota")).append(" |\n"));
            }
            Map<String, Map<String, Object>> stages = (Map<String, Map<String, Object>>) wall.get("stages");
            if (stages != null) {
                md.append("\n| Stage (s from the first start) | Started | First call | Last call | Finished | Took | At quota |\n")
                        .append("|---|---|---|---|---|---|---|\n");
                stages.forEach((stage, t) -> md.append("| ").append(stage).append(" | ").append(t.get("startedS")).append(" | ")
                        .append(t.get("firstCallS")).append(" | ").append(t.get("lastCallS")).append(" | ").append(t.get("finishedS"))
                        .append(" | ").append(t.get("seconds")).append(" | ").append(t.get("secondsAtQuota")).append(" |\n"));
            }
        }
        Map<String, Object> free = (Map<String, Object>) results.get("unthrottled");
        if (free != null) {
            md.append("\n## Unthrottled c2c-messages\n\nimportmsg: ").append(free.get("importmsgCallsPerSecond"))
                    .append(" calls/s steady over ").append(free.get("messages")).append(" messages (load ").append(free.get("loadBefore"))
                    .append(" → ").append(free.get("loadAfter")).append("); state database file ").append(free.get("stateFileMb"))
                    .append(" MB.\n");
        }
        Map<String, Object> memory = (Map<String, Object>) results.get("memory");
        if (memory != null) {
            memory(md, memory, memory, "");
            Map<String, Object> files = (Map<String, Object>) memory.get("files");
            if (files != null) {
                memory(md, memory, files, ", old system read from JSON Lines files");
            }
        }
    }

    /** One source's memory runs: a row per size, then each run's RSS timeline (about forty points in Markdown; all in the JSON). */
    @SuppressWarnings("unchecked")
    private static void memory(StringBuilder md, Map<String, Object> memory, Map<String, Object> source, String title) {
        List<Map<String, Object>> runs = (List<Map<String, Object>>) source.get("runs");
        if (runs == null || runs.isEmpty()) {
            return;
        }
        md.append("\n## Peak RSS (-Xmx").append(memory.get("xmx")).append(", unthrottled, state: ").append(memory.get("state"))
                .append(title).append(")\n\n")
                .append("| Messages | Peak RSS (VmHWM) MB | Import s | importmsg calls/s | State MB | Load |\n|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : runs) {
            boolean done = Boolean.TRUE.equals(r.get("finished"));
            Object state = r.containsKey("stateDatabaseMb") ? r.get("stateDatabaseMb") : r.get("stateFileMb");
            md.append("| ").append(r.get("messages")).append(" | ")
                    .append(done ? r.get("peakRssMb") : "running, " + r.get("peakRssMbSoFar") + " so far").append(" | ")
                    .append(done ? r.get("importSeconds") : "").append(" | ").append(done ? r.get("importmsgCallsPerSecond") : "").append(" | ")
                    .append(done ? state : "").append(" | ")
                    .append(r.get("loadBefore")).append(" → ").append(done ? r.get("loadAfter") : "").append(" |\n");
        }
        md.append("\nRatios to the smallest run: ").append(source.get("ratios")).append(".\n");
        for (Map<String, Object> r : runs) {
            List<Map<String, Object>> timeline = (List<Map<String, Object>>) r.get("timeline");
            if (timeline == null || timeline.isEmpty()) {
                continue;
            }
            md.append("\nRSS timeline, ").append(r.get("messages")).append(" messages").append(title)
                    .append(":\n\n| s | imported (c2c) | VmRSS MB | VmHWM MB |\n|---|---|---|---|\n");
            int step = Math.max(1, timeline.size() / 40);
            for (int i = 0; i < timeline.size(); i++) {
                if (i % step == 0 || i == timeline.size() - 1) {
                    Map<String, Object> p = timeline.get(i);
                    md.append("| ").append(p.get("s")).append(" | ").append(p.get("c2cImported")).append(" | ").append(p.get("rssMb"))
                            .append(" | ").append(p.get("hwmMb")).append(" |\n");
                }
            }
        }
    }

    private static String percent(Object share) {
        return share instanceof Number n && !Double.isNaN(n.doubleValue()) ? Math.round(n.doubleValue() * 1000) / 10.0 + "%" : "n/a";
    }
}
