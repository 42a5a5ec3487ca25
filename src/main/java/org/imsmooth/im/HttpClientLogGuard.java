package org.imsmooth.im;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP clients' own debug loggers print every request line and header: Apache HttpClient 5's under
 * Camel's HTTP component ({@code org.apache.hc.client5.http}: request lines, headers, wire), where IM's
 * request line carries the UserSig, and the JDK HttpClient's ({@code jdk.internal.httpclient.*}, through
 * JUL), which carries the sandbox's signed callbacks and the IM → old HTTP writer's requests. With DEBUG
 * on for the root or for those loggers they would leak them, so they are pinned to INFO: the JUL loggers
 * the JDK asks, and the Spring-managed (Logback) loggers the JUL bridge and SLF4J write to.
 */
public final class HttpClientLogGuard {

    static final List<String> JDK_LOGGERS = List.of(
            "jdk.internal.httpclient.debug",
            "jdk.internal.httpclient.hpack.debug",
            "jdk.internal.httpclient.websocket.debug");

    /** Apache HttpClient 5 (SLF4J): the exec chain logs request lines, .headers and .wire the rest. */
    static final List<String> APACHE_LOGGERS = List.of("org.apache.hc.client5.http", "org.apache.hc.core5");

    // JUL holds loggers weakly: keep them so the pinned level is not garbage-collected away.
    private static final List<Logger> PINNED = JDK_LOGGERS.stream().map(Logger::getLogger).toList();

    private HttpClientLogGuard() {
    }

    public static void apply(LoggingSystem loggingSystem) {
        PINNED.forEach(l -> l.setLevel(Level.INFO));
        LoggingSystem logging = loggingSystem;
        if (logging == null) { // built outside Spring (tests, tools): the logging system on the class path
            try {
                logging = LoggingSystem.get(HttpClientLogGuard.class.getClassLoader());
            } catch (RuntimeException e) {
                return;
            }
        }
        for (String name : JDK_LOGGERS) {
            logging.setLogLevel(name, LogLevel.INFO);
        }
        for (String name : APACHE_LOGGERS) {
            logging.setLogLevel(name, LogLevel.INFO);
        }
    }
}
