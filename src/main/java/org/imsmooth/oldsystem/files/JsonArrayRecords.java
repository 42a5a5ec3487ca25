package org.imsmooth.oldsystem.files;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A file holding one JSON array of objects, read element by element with Jackson's streaming parser
 * (one element in memory). An array cannot be entered at a byte offset, so a restart skips the
 * elements already read (parsed, not built). A syntax error ends the file: the parser cannot find
 * the next element after it.
 */
final class JsonArrayRecords implements ExportRecords {

    private final JsonParser parser;
    private long number;
    private boolean started;
    private boolean done;

    JsonArrayRecords(InputStream in, ObjectMapper json, long skip) throws IOException {
        this.parser = json.getFactory().createParser(in);
        this.parser.setCodec(json);
        for (long i = 0; i < skip; i++) {
            Item skipped = advance(false);
            if (skipped == null || skipped.fatal()) {
                break;
            }
        }
    }

    @Override
    public Item next() throws IOException {
        return advance(true);
    }

    private Item advance(boolean build) throws IOException {
        if (done) {
            return null;
        }
        long line = parser.currentLocation().getLineNr();
        try {
            if (!started) {
                started = true;
                JsonToken first = parser.nextToken();
                if (first == null) {
                    done = true;
                    return null;
                }
                if (first != JsonToken.START_ARRAY) {
                    done = true;
                    return new Item(1, 1, null, "the file is not a JSON array (format json-array)", true);
                }
            }
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY || token == null) {
                done = true;
                return null;
            }
            number++;
            line = parser.currentTokenLocation().getLineNr();
            if (!build) {
                parser.skipChildren();
                return new Item(number, line, null, null, false);
            }
            JsonNode node = parser.readValueAsTree();
            if (node == null || !node.isObject()) {
                return new Item(number, line, null, "element " + number + " is not a JSON object", false);
            }
            return new Item(number, line, node, null, false);
        } catch (JsonProcessingException e) {
            done = true;
            number++;
            return new Item(number, e.getLocation() == null ? line : e.getLocation().getLineNr(), null,
                    e.getOriginalMessage() + " (the rest of this file cannot be read)", true);
        }
    }

    @Override
    public Position after() {
        return new Position(number, -1);
    }

    @Override
    public Position before() {
        return new Position(Math.max(0, number - 1), -1);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
