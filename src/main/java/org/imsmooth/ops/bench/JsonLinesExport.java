package org.imsmooth.ops.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JSON Lines export in the canonical format (docs/files.md) for the memory benchmark: {@code users}
 * accounts and {@code messages} 1:1 text messages over a thousand conversations, in time order, one
 * second apart and ending an hour ago, written as a stream (nothing of it is held in memory).
 */
final class JsonLinesExport {

    private JsonLinesExport() {
    }

    /** Writes accounts.jsonl and c2c-messages.jsonl into {@code dir}; returns the bytes written. */
    static long write(Path dir, int users, int messages) throws IOException {
        Files.createDirectories(dir);
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("accounts.jsonl"), StandardCharsets.UTF_8)) {
            for (int u = 1; u <= users; u++) {
                out.write("{\"source_id\":\"" + u + "\",\"nick\":\"User " + u + "\"}\n");
            }
        }
        long first = System.currentTimeMillis() / 1000 - 3600 - messages;
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("c2c-messages.jsonl"), StandardCharsets.UTF_8)) {
            for (int i = 0; i < messages; i++) {
                int conversation = i % 1000;
                int a = 1 + conversation % users;
                int b = 1 + (conversation * 7 + 1) % users;
                if (a == b) {
                    b = 1 + (b % users);
                }
                boolean fromA = (i / 1000) % 2 == 0;
                out.write("{\"source_id\":\"m" + i + "\",\"from_id\":\"" + (fromA ? a : b) + "\",\"to_id\":\"" + (fromA ? b : a)
                        + "\",\"kind\":\"text\",\"body\":\"message " + i + " of the benchmark export\",\"sent_at\":" + (first + i) + "}\n");
            }
        }
        return Files.size(dir.resolve("accounts.jsonl")) + Files.size(dir.resolve("c2c-messages.jsonl"));
    }
}
