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
}
