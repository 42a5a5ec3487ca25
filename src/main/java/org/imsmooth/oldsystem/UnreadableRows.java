package org.imsmooth.oldsystem;

import java.util.Map;

/**
 * Where the reader hands a row the old system's database cannot return (its page query fails on that
 * row alone, e.g. a cast meeting one bad value): the import dead-letters it with the database's error
 * and reads on past it.
 */
public interface UnreadableRows {

    /**
     * @param kind  the data kind (import stage)
     * @param oldId the row's id as the id map keys it (its source_id, or its cursor values joined by ':')
     * @param key   the row's cursor values
     * @param error the database's error
     */
    void unreadable(String kind, String oldId, Map<String, Object> key, String error);

    /**
     * A record of an export file that cannot be read or mapped (docs/files.md): dead-lettered with
     * {@code reason} as it is (it names the file, the line and the error).
     *
     * @param key the record's place: file, line, record number, error
     */
    void refused(String kind, String oldId, Map<String, Object> key, String reason);
}
