package org.imsmooth.ops.bench;

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
        if (memory != null && memory.containsKey("small")) {
            Map<String, Object> small = (Map<String, Object>) memory.get("small");
            Map<String, Object> large = (Map<String, Object>) memory.get("large");
            md.append("\n## Peak RSS (-Xmx").append(memory.get("xmx")).append(", unthrottled)\n\n")
                    .append("| Messages | Peak RSS (VmHWM) MB | Import s | importmsg calls/s | State file MB | Load |\n|---|---|---|---|---|---|\n");
            for (Map<String, Object> r : large == null ? new Map[] {small} : new Map[] {small, large}) {
                md.append("| ").append(r.get("messages")).append(" | ").append(r.get("peakRssMb")).append(" | ")
                        .append(r.get("importSeconds")).append(" | ").append(r.get("importmsgCallsPerSecond")).append(" | ")
                        .append(r.get("stateFileMb")).append(" | ")
                        .append(r.get("loadBefore")).append(" → ").append(r.get("loadAfter")).append(" |\n");
            }
            md.append(large == null ? "\nLarge run still running.\n" : "\nRatio " + memory.get("ratio") + ".\n");
        }
    }

    private static String percent(Object share) {
        return share instanceof Number n && !Double.isNaN(n.doubleValue()) ? Math.round(n.doubleValue() * 1000) / 10.0 + "%" : "n/a";
    }
}
