package org.imsmooth.oldsystem.files;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A JSON Lines file read line by line from a byte offset: memory holds one line, and the offset after
 * each line is exact, so a restarted import seeks straight to its cursor. Blank lines count as lines
 * (the numbers match an editor's) but are no records.
 */
final class JsonLinesRecords implements ExportRecords {

    private final InputStream in;
    private final ObjectMapper json;
    private byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private boolean eof;
    private long offset;
    private long lineNumber;
    private Position before;

    JsonLinesRecords(InputStream in, ObjectMapper json, long offset, long linesBefore) {
        this.in = in;
        this.json = json;
        this.offset = offset;
        this.lineNumber = linesBefore;
        this.before = new Position(linesBefore, offset);
    }

    @Override
    public Item next() throws IOException {
        while (true) {
            int newline = indexOfNewline();
            int lineEnd;
            int consumed;
            if (newline >= 0) {
                lineEnd = newline;
                consumed = newline - start + 1;
            } else if (!eof) {
                fill();
                continue;
            } else if (start < end) {
                lineEnd = end; // last line without a newline
                consumed = end - start;
            } else {
                return null;
            }
            int lineStart = start;
            before = new Position(lineNumber, offset);
            start += consumed;
            offset += consumed;
            lineNumber++;
            int contentEnd = lineEnd;
            if (contentEnd > lineStart && buffer[contentEnd - 1] == '\r') {
                contentEnd--;
            }
            if (blank(lineStart, contentEnd)) {
                continue;
            }
            try {
                JsonNode node = json.readTree(buffer, lineStart, contentEnd - lineStart);
                if (node == null || !node.isObject()) {
                    return new Item(lineNumber, lineNumber, null, "not a JSON object: " + excerpt(lineStart, contentEnd), false);
                }
                return new Item(lineNumber, lineNumber, node, null, false);
            } catch (JsonProcessingException e) {
                return new Item(lineNumber, lineNumber, null, e.getOriginalMessage(), false);
            }
        }
    }

    @Override
    public Position after() {
        return new Position(lineNumber, offset);
    }

    @Override
    public Position before() {
        return before;
    }

    private int indexOfNewline() {
        for (int i = start; i < end; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Moves the unread bytes to the front, grows the buffer for a line longer than it, reads more. */
    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    private boolean blank(int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buffer[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private String excerpt(int from, int to) {
        return new String(buffer, from, Math.min(to - from, 80), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
