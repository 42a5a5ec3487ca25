package org.imsmooth.pipeline;

import java.nio.charset.StandardCharsets;

import org.imsmooth.canonical.RejectedRecordException;
import org.springframework.stereotype.Component;

/**
 * IM's byte limits on text fields (a group name is 30 bytes: only 10 Chinese characters) must not
 * cost a whole group or user. By default a long value is cut at a character boundary and the cut is
 * reported; with {@code migration.truncate-oversized-text=false} it is a rejection instead.
 */
@Component("textLimits")
public class TextLimits {

    /** A value that fits, and a note when it had to be cut (null when unchanged). */
    public record Fitted(String value, String note) {
        public boolean truncated() {
            return note != null;
        }
    }

    private final ImportMode mode;

    public TextLimits(ImportMode mode) {
        this.mode = mode;
    }

    public Fitted fit(String sourceId, String field, String value, int maxBytes) {
        if (value == null) {
            return new Fitted(null, null);
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return new Fitted(value, null);
        }
        String note = field + " is " + bytes.length + " bytes, IM allows " + maxBytes;
        if (!mode.truncateOversizedText()) {
            throw new RejectedRecordException(sourceId, note);
        }
        StringBuilder cut = new StringBuilder();
        int used = 0;
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > maxBytes) {
                break;
            }
            cut.appendCodePoint(codePoint);
            used += size;
            i += Character.charCount(codePoint);
        }
        return new Fitted(cut.toString(), "truncated " + note + ": kept '" + cut + "'");
    }
}
