package org.imsmooth.sandbox.quota;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.SandboxProperties;
import org.springframework.stereotype.Component;

/**
 * Per-API calls/second limit as IM enforces it per SdkAppID: a fixed one-second window per command.
 * Limits change at runtime (admin endpoint); 0 or negative means unlimited.
 */
@Component
@ConditionalOnSandbox
public class CallQuota {

    private static final class Window {
        long second = -1;
        int count;
    }

    private volatile Integer defaultLimit;
    private final Map<String, Integer> overrides = new ConcurrentHashMap<>();
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private volatile int errorCode;

    public CallQuota(SandboxProperties props) {
        configure(props.getQuota().getDefaultCallsPerSecond(), props.getQuota().getCallsPerSecond(), true,
                props.getQuota().getErrorCode());
    }

    /** Replaces the settings; {@code defaultLimit} null = per-API documented default. */
    public synchronized void configure(Integer defaultLimit, Map<String, Integer> perCommand, boolean replace, Integer code) {
        this.defaultLimit = defaultLimit;
        if (replace) {
            overrides.clear();
        }
        if (perCommand != null) {
            overrides.putAll(perCommand);
        }
        if (code != null) {
            this.errorCode = code;
        }
        windows.clear();
    }

    public int limitFor(ImApi api) {
        Integer o = overrides.get(api.command());
        if (o != null) {
            return o;
        }
        Integer d = defaultLimit;
        return d != null ? d : api.defaultCallsPerSecond();
    }

    public int errorCode() { return errorCode; }

    public Integer defaultLimit() { return defaultLimit; }

    public Map<String, Integer> overrides() { return Map.copyOf(overrides); }

    /** @return true when the call fits in this second's allowance (and counts it) */
    public boolean tryAcquire(ImApi api) {
        int limit = limitFor(api);
        if (limit <= 0) {
            return true;
        }
        long second = System.currentTimeMillis() / 1000;
        Window w = windows.computeIfAbsent(api.command(), k -> new Window());
        synchronized (w) {
            if (w.second != second) {
                w.second = second;
                w.count = 0;
            }
            if (w.count >= limit) {
                return false;
            }
            w.count++;
            return true;
        }
    }
}
