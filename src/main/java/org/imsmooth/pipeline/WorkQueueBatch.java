package org.imsmooth.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.canonical.RejectedRecordException;

/**
 * A work-queue message's body: the JSON array of canonical records a reader's aggregator wrote.
 * Workers take it as the bytes the broker delivered and parse those directly: taken as a String,
 * the body was copied twice more (the String, then Jackson's char buffer), and a batch worked at
 * IM's quota lives for seconds, so every copy reached the old generation of the heap.
 */
public final class WorkQueueBatch {

    private WorkQueueBatch() {
    }

    /** The records of {@code body}; a malformed body is rejected as a whole. */
    public static <T> List<T> parse(ObjectMapper json, String what, byte[] body, JavaType listType) {
        try {
            return json.readValue(body, listType);
        } catch (JsonProcessingException e) {
            throw new RejectedRecordException(null, what + " batch is not a JSON array of records: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
