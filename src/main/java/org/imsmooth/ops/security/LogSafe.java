package org.imsmooth.ops.security;

/**
 * Values that come from a request (a callback's fields, a user name, a path) reach log lines only
 * through here: line breaks and other control characters are shown escaped, so a value can never
 * start a forged log line, and long values are cut.
 */
public final class LogSafe {

    private static final int MAX = 200;

    private LogSafe() {
    }

    public static String value(String raw) {
        if (raw == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder(Math.min(raw.length(), MAX) + 8);
        for (int i = 0; i < raw.length() && out.length() < MAX; i++) {
            char c = raw.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (out.length() >= MAX && raw.length() > MAX) {
            out.append("...");
        }
        return out.toString();
    }
}
