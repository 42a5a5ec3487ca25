package org.imsmooth.oldsystem;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.camel.Exchange;

/**
 * Where the import stages read the old system from: its database through keyset page queries
 * ({@link KeysetPageReader}, {@code oldsystem.kind=sql}) or a directory or zip of export files
 * ({@code org.imsmooth.oldsystem.files.ExportFileReader}, {@code oldsystem.kind=files}). Either gives
 * rows of canonical columns (README "Canonical records"), one page at a time from the stage's durable
 * cursor, which moves only when the route commits the page.
 */
public interface OldSystemSource {

    /** The next page of {@code kind} rows after the stage's cursor; sets {@code ImMorePages} on the exchange. */
    List<Map<String, Object>> nextPage(String kind, Exchange exchange);

    /** Moves the stage's cursor past the page just read (called once the page reached the broker). */
    void commitPage(String kind, Exchange exchange);

    /** Every row of a kind from the start, without touching the cursor; unreadable rows by their id-map key. */
    void scan(String kind, Consumer<Map<String, Object>> rows, Consumer<String> unreadable);

    /** How many rows the kind has, or -1 when the source cannot tell. */
    long total(String kind);

    /** Checks the kind's configuration at start; throws with what to fix. */
    void check(String kind);

    /**
     * Registers a listener told a stage's name when the source gains rows after the stage may have read
     * everything (an export file added later); a database source never calls it.
     */
    default void whenMoreToRead(Consumer<String> listener) {
    }

    /**
     * Whether the kind's rows come conversation by conversation (each conversation's rows together), so
     * that its import can hand each conversation off to live sync as soon as it has passed it
     * (pipeline/HandOffMarkers). Group history always is; 1:1 history when its mapping says so.
     */
    default boolean readsByConversation(String kind) {
        return "group-messages".equals(kind);
    }

    /**
     * A mark of the kind's listing of the old system as of now: {@link #listedSince} tells once a
     * listing begun after it has completed (Camel's file consumer polled the export again), so that
     * files of several kinds that landed together are all known before any of them is read. A database
     * is not listed: always listed.
     */
    default long listingMark(String kind) {
        return 0;
    }

    /** Whether the kind was listed again, every file then present announced, since {@link #listingMark}. */
    default boolean listedSince(String kind, long mark) {
        return true;
    }

    /** Whether the kind has rows its stage's reader has not reached yet that {@link #whenMoreToRead} announced. */
    default boolean unreadRemains(String kind) {
        return false;
    }
}
