package org.imsmooth.sync.toim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL blocks of the documentation, run by tests as they are written there: the fenced {@code sql}
 * block right after an HTML comment {@code <!-- name -->} in a Markdown file.
 */
public final class DocumentedSql {

    private DocumentedSql() {
    }

    public static String block(Path markdown, String name) throws IOException {
        String text = Files.readString(markdown);
        int marker = text.indexOf("<!-- " + name + " -->");
        if (marker < 0) {
            throw new IllegalStateException(markdown + " has no block <!-- " + name + " -->");
        }
        int open = text.indexOf("```sql\n", marker);
        int close = text.indexOf("\n```", open + 7);
        if (open < 0 || close < 0) {
            throw new IllegalStateException(markdown + ": no ```sql block after <!-- " + name + " -->");
        }
        return text.substring(open + 7, close + 1);
    }

    /** Statements of a script without dollar-quoted bodies (MySQL's single-statement triggers): split at a ';' ending a line. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                out.add(current.toString().strip().replaceAll(";$", ""));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
