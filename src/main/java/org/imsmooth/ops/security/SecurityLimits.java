package org.imsmooth.ops.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits that protect the service from unauthenticated and hostile callers ({@code ops.security.*}).
 *
 * @param maxRequestBody     largest body accepted on the open endpoints ({@code /im/callback},
 *                           {@code /intake/old-system/**}), checked before their authentication; IM's
 *                           callbacks are a few KB (a message's body is at most 12 KB)
 * @param refusalLogInterval refused callback/intake requests: at most one log line per client per interval
 * @param loginFailures      failed operator logins from one client before it is throttled
 * @param loginWindow        the window those failures are counted in, and how long a throttled client waits
 */
@ConfigurationProperties("ops.security")
public record SecurityLimits(@DefaultValue("1MB") DataSize maxRequestBody,
                             @DefaultValue("60s") Duration refusalLogInterval,
                             @DefaultValue("10") int loginFailures,
                             @DefaultValue("60s") Duration loginWindow) {

    public SecurityLimits {
        if (maxRequestBody.toBytes() <= 0 || maxRequestBody.toBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("ops.security.max-request-body must be between 1 byte and 2 GB");
        }
        if (loginFailures < 1) {
            throw new IllegalArgumentException("ops.security.login-failures must be at least 1");
        }
    }
}
