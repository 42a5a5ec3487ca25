package org.imsmooth.ops.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Failed operator logins: each is logged with the user name it tried and the client's address (never
 * the password), and a client that fails {@code ops.security.login-failures} times within
 * {@code ops.security.login-window} gets 429 with {@code Retry-After} for every credential it sends
 * until the window has passed, so passwords cannot be guessed at the speed of the network. A
 * successful login clears the client's count.
 */
final class LoginThrottle extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger("ops.security.login");
    private static final int MAX_CLIENTS = 10_000;

    private final int maxFailures;
    private final long windowMillis;
    private final Clock clock;
    private final RefusalLog throttledLog;
    private final ConcurrentHashMap<String, Failures> clients = new ConcurrentHashMap<>();

    LoginThrottle(int maxFailures, Duration window, Clock clock, RefusalLog.Factory refusals) {
        this.maxFailures = maxFailures;
        this.windowMillis = window.toMillis();
        this.clock = clock;
        this.throttledLog = refusals.forLogger(LOG);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || authorization.isBlank()) {
            chain.doFilter(request, response);
            return;
        }
        String client = request.getRemoteAddr();
        long now = clock.millis();
        Failures failures = clients.get(client);
        long wait = failures == null ? 0 : failures.lockedUntil - now;
        if (wait > 0) {
            long seconds = (wait + 999) / 1000;
            throttledLog.refused(client, "operator login (throttled for " + seconds + " s after " + maxFailures + " failures)");
            response.setStatus(429);
            response.setHeader("Retry-After", Long.toString(seconds));
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"too many failed logins from this address: try again in " + seconds + " s\"}");
            return;
        }
        chain.doFilter(request, response);
        if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
            int count = fail(client, now);
            LOG.warn("operator login failed for user '{}' from {} ({} of {} allowed in {} s)", LogSafe.value(user(authorization)),
                    LogSafe.value(client), count, maxFailures, windowMillis / 1000);
        } else if (failures != null) {
            clients.remove(client);
        }
    }

    private int fail(String client, long now) {
        if (clients.size() > MAX_CLIENTS) {
            clients.clear();
        }
        return clients.compute(client, (k, f) -> {
            Failures next = f == null || now - f.since >= windowMillis ? new Failures(now) : f;
            next.count++;
            if (next.count >= maxFailures) {
                next.lockedUntil = now + windowMillis;
            }
            return next;
        }).count;
    }

    /** The user name of a basic credential; the password part is never decoded into the log. */
    static String user(String authorization) {
        String value = authorization.trim();
        if (!value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "(not a basic credential)";
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? "(malformed)" : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return "(malformed)";
        }
    }

    private static final class Failures {
        final long since;
        int count;
        long lockedUntil;

        Failures(long since) {
            this.since = since;
        }
    }
}
