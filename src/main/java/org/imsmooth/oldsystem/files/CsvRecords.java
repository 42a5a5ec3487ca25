package org.imsmooth.oldsystem.files;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * A CSV file whose header row names the columns, read row by row with Jackson's CSV parser: each row
 * becomes an object of text values keyed by column (a mapping's pointer {@code /column}). Quoted values
 * may span lines, so a restart skips the rows already read rather than seeking.
 */
final class CsvRecords implements ExportRecords {

    private static final CsvMapper CSV = new CsvMapper();

    private final MappingIterator<JsonNode> rows;
    private long number;
    private boolean done;
    private long lastErrorLine = -1;

    CsvRecords(InputStream in, long skip) throws IOException {
        this.rows = CSV.readerFor(JsonNode.class).with(CsvSchema.emptySchema().withHeader()).readValues(in);
        for (long i = 0; i < skip; i++) {
            if (next() == null) {
                break;
            }
        }
    }

    @Override
    public Item next() throws IOException {
        if (done) {
            return null;
        }
        long line = rows.getCurrentLocation() == null ? number + 1 : rows.getCurrentLocation().getLineNr();
        try {
            if (!rows.hasNextValue()) {
                done = true;
                return null;
            }
            line = rows.getCurrentLocation() == null ? line : rows.getCurrentLocation().getLineNr();
            JsonNode row = rows.nextValue();
            number++;
            return new Item(number, line, row, null, false);
        } catch (IOException | RuntimeJsonMappingException e) {
            number++;
            String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            // the parser skips to the next row after an error; if it cannot, the rest of the file is unreadable
            boolean stuck = line == lastErrorLine;
            lastErrorLine = line;
            done = stuck;
            return new Item(number, line, null, stuck ? message + " (the rest of this file cannot be read)" : message, stuck);
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
        rows.close();
    }
}
