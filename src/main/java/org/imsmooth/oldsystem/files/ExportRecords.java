package org.imsmooth.oldsystem.files;

import java.io.Closeable;
import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The records of one export file, read one at a time (never the whole file): lines of a JSON Lines
 * file, elements of a JSON array, rows of a CSV file.
 */
interface ExportRecords extends Closeable {

    /**
     * One record, or why it could not be read.
     *
     * @param number the record's number in its file, from 1 (a JSON Lines file's line number)
     * @param line   the text line it starts on
     * @param node   the record, or null when it could not be parsed
     * @param error  the parse error
     * @param fatal  the file cannot be read past this point (a broken JSON array)
     */
    record Item(long number, long line, JsonNode node, String error, boolean fatal) {
    }

    /** The next record, or null at the end of the file. */
    Item next() throws IOException;

    /**
     * Where a reader stands in a file: the records (JSON Lines: lines) consumed and the byte offset after
     * them, or -1 when the format cannot seek (then a reader resumes by skipping {@code consumed} records).
     */
    record Position(long consumed, long offset) {
    }

    /** The position after the last record returned (after the end, once {@link #next()} returned null). */
    Position after();

    /** The position just before the last record returned. */
    Position before();
}
