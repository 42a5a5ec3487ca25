package org.imsmooth.sandbox.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.callback.CallbackDispatcher;
import org.imsmooth.sandbox.callback.CallbackRecord;
import org.imsmooth.sandbox.domain.C2cOperations;
import org.imsmooth.sandbox.handler.GroupManagementApis;
import org.imsmooth.sandbox.quota.CallQuota;
import org.imsmooth.sandbox.quota.FaultInjector;
import org.imsmooth.sandbox.quota.SandboxStats;
import org.imsmooth.sandbox.state.AccountStore;
import org.imsmooth.sandbox.state.SandboxDatabase;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Runtime control for tests and benchmarks: faults, quotas, reset, stats, callback log.
 * Bad input gets HTTP 400 with {"error": "..."}.
 */
@RestController
@ConditionalOnSandbox
public class SandboxAdminController {

    private final ObjectMapper json = new ObjectMapper();
    private final FaultInjector faults;
    private final CallQuota quota;
    private final SandboxStats stats;
    private final CallbackDispatcher callbacks;
    private final SandboxDatabase db;
    private final AccountStore accounts;
    private final C2cOperations c2c;
    private final GroupManagementApis groupApis;

    public SandboxAdminController(FaultInjector faults, CallQuota quota, SandboxStats stats, CallbackDispatcher callbacks,
                                  SandboxDatabase db, AccountStore accounts, C2cOperations c2c,
                                  GroupManagementApis groupApis) {
        this.faults = faults;
        this.quota = quota;
        this.stats = stats;
        this.callbacks = callbacks;
        this.db = db;
        this.accounts = accounts;
        this.c2c = c2c;
        this.groupApis = groupApis;
    }

    @GetMapping("/sandbox/admin/faults")
    public Map<String, Object> getFaults() {
        FaultInjector.Settings s = faults.settings();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("latencyMs", s.latencyMs());
        out.put("rate", s.rate());
        out.put("kinds", s.kinds());
        out.put("timeoutMs", s.timeoutMs());
        return out;
    }

    @PostMapping("/sandbox/admin/faults")
    public ResponseEntity<?> setFaults(@RequestBody(required = false) byte[] body) {
        JsonNode n = parse(body);
        if (n == null) {
            return bad("body must be a JSON object");
        }
        FaultInjector.Settings cur = faults.settings();
        try {
            long latency = n.has("latencyMs") ? number(n, "latencyMs").longValue() : cur.latencyMs();
            double rate = n.has("rate") ? number(n, "rate").doubleValue() : cur.rate();
            long timeout = n.has("timeoutMs") ? number(n, "timeoutMs").longValue() : cur.timeoutMs();
            List<String> kinds = cur.kinds();
            if (n.has("kinds")) {
                if (!n.get("kinds").isArray()) {
                    return bad("kinds must be an array of strings");
                }
                kinds = new ArrayList<>();
                for (JsonNode k : n.get("kinds")) {
                    if (!k.isTextual()) {
                        return bad("kinds must be an array of strings");
                    }
                    kinds.add(k.asText());
                }
            }
            faults.update(FaultInjector.validate(latency, rate, kinds, timeout));
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        return ResponseEntity.ok(getFaults());
    }

    @GetMapping("/sandbox/admin/quota")
    public Map<String, Object> getQuota() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("defaultCallsPerSecond", quota.defaultLimit());
        out.put("errorCode", quota.errorCode());
        out.put("window", quota.window().label());
        Map<String, Integer> effective = new LinkedHashMap<>();
        for (ImApi api : ImApi.values()) {
            effective.put(api.command(), quota.limitFor(api));
        }
        out.put("callsPerSecond", quota.overrides());
        out.put("effective", effective);
        return out;
    }

    /** {defaultCallsPerSecond: n|null, callsPerSecond: {command: n}, errorCode: n, replace: bool (default true), window: sliding|fixed}. */
    @PostMapping("/sandbox/admin/quota")
    public ResponseEntity<?> setQuota(@RequestBody(required = false) byte[] body) {
        JsonNode n = parse(body);
        if (n == null) {
            return bad("body must be a JSON object");
        }
        try {
            Integer def = quota.defaultLimit();
            if (n.has("defaultCallsPerSecond")) {
                def = n.get("defaultCallsPerSecond").isNull() ? null : integer(n, "defaultCallsPerSecond");
            }
            Map<String, Integer> per = new LinkedHashMap<>();
            JsonNode p = n.get("callsPerSecond");
            if (p != null && !p.isNull()) {
                if (!p.isObject()) {
                    return bad("callsPerSecond must be an object of command → calls per second");
                }
                var it = p.fields();
                while (it.hasNext()) {
                    var e = it.next();
                    if (ImApi.byCommand(e.getKey()).isEmpty()) {
                        return bad("unknown command " + e.getKey());
                    }
                    per.put(e.getKey(), integer(p, e.getKey()));
                }
            }
            Integer code = n.has("errorCode") ? integer(n, "errorCode") : null;
            boolean replace = !n.has("replace") || n.get("replace").asBoolean(true);
            CallQuota.Window window = n.has("window") ? CallQuota.Window.parse(n.get("window").asText()) : null;
            quota.configure(def, per, replace, code);
            if (window != null) {
                quota.window(window);
            }
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        return ResponseEntity.ok(getQuota());
    }

    @PostMapping("/sandbox/admin/reset")
    public Map<String, Object> reset() {
        db.wipe();
        accounts.clearCache();
        c2c.reset();
        groupApis.reset();
        stats.reset();
        callbacks.clearLog();
        return Map.of("reset", true);
    }

    @GetMapping("/sandbox/admin/stats")
    public Map<String, Object> stats() {
        return stats.snapshot();
    }

    @GetMapping("/sandbox/admin/callbacks")
    public List<CallbackRecord> callbackLog() {
        return callbacks.recent();
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode n = json.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Number number(JsonNode n, String f) {
        if (!n.get(f).isNumber()) {
            throw new IllegalArgumentException(f + " must be a number");
        }
        return n.get(f).numberValue();
    }

    private static Integer integer(JsonNode n, String f) {
        if (!n.get(f).isIntegralNumber() || !n.get(f).canConvertToInt()) {
            throw new IllegalArgumentException(f + " must be an integer");
        }
        return n.get(f).intValue();
    }

    private static ResponseEntity<Map<String, String>> bad(String reason) {
        return ResponseEntity.badRequest().body(Map.of("error", reason));
    }
}
