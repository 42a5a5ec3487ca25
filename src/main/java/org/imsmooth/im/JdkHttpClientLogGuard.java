package org.imsmooth.im;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JDK HttpClient's internal debug loggers print every request URI, and IM's URI carries the
 * UserSig. With DEBUG on for the root or for {@code jdk.internal.httpclient} they would leak it, so
 * they are pinned to INFO at both ends of the bridge: the JUL logger the JDK asks, and the
 * Spring-managed (Logback) logger the JUL bridge forwards to.
 */
final class JdkHttpClientLogGuard {

    static final List<String> LOGGERS = List.of(
            "jdk.internal.httpclient.debug",
            "jdk.internal.httpclient.hpack.debug",
            "jdk.internal.httpclient.websocket.debug");

    // JUL holds loggers weakly: keep them so the pinned level is not garbage-collected away.
    private static final List<Logger> PINNED = LOGGERS.stream().map(Logger::getLogger).toList();

    private JdkHttpClientLogGuard() {
    }

    static void apply(LoggingSystem loggingSystem) {
        PINNED.forEach(l -> l.setLevel(Level.INFO));
        if (loggingSystem != null) {
            LOGGERS.forEach(name -> loggingSystem.setLogLevel(name, LogLevel.INFO));
        }
    }
}
