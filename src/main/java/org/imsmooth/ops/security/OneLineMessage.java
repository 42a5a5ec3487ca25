package org.imsmooth.ops.security;

import java.util.Set;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The log message ({@code %m}, {@code %msg}) on one line: line breaks inside a message are written
 * as {@code \n} / {@code \r}, so no value that reaches a message (a callback's field in a dead-letter
 * reason, an exception message quoting a request) can start a line that looks like a log entry of its
 * own. Stack traces are not messages and keep their lines. Installed for every pattern by
 * {@code logback-spring.xml}; Spring Boot's start-up failure report keeps its layout.
 */
public class OneLineMessage extends MessageConverter {

    private static final Set<String> MULTI_LINE_LOGGERS = Set.of(
            "org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter");

    @Override
    public String convert(ILoggingEvent event) {
        String message = super.convert(event);
        if (message == null || MULTI_LINE_LOGGERS.contains(event.getLoggerName())
                || (message.indexOf('\n') < 0 && message.indexOf('\r') < 0)) {
            return message;
        }
        return message.replace("\r", "\\r").replace("\n", "\\n");
    }
}
