package org.imsmooth.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.imsmooth.im.api.ImApi;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Calls per second each worker route may make to one IM API, for the routes' throttle EIP:
 * {@code throttle: {method: {ref: apiQuotas, method: "callsPerSecond('importmsg')"}}}. Defaults are
 * Tencent's documented quotas ({@link ImApi}); {@code pipeline.quota.<command>} overrides one.
 * The throttle re-reads this value for every message, so it can be lowered while running.
 */
@Component("apiQuotas")
public class ApiQuotas {

    private final Environment environment;
    private final Map<String, Integer> current = new ConcurrentHashMap<>();

    public ApiQuotas(Environment environment) {
        this.environment = environment;
    }

    public int callsPerSecond(String command) {
        return current.computeIfAbsent(command, this::configured);
    }

    /**
     * For workers that make one call per record of a batch: the throttle counts messages, so a batch
     * of up to {@code callsPerBatch} calls may pass only this often to stay within the API's quota.
     */
    public int batchesPerSecond(String command, int callsPerBatch) {
        return Math.max(1, callsPerSecond(command) / Math.max(1, callsPerBatch));
    }

    int configured(String command) {
        int documented = ImApi.byCommand(command)
                .orElseThrow(() -> new IllegalArgumentException("unknown IM command '" + command + "'"))
                .defaultCallsPerSecond();
        return environment.getProperty("pipeline.quota." + command, Integer.class, documented);
    }
}
