package org.imsmooth.pipeline;

import java.util.List;

import org.imsmooth.canonical.CanonicalRecord;
import org.springframework.stereotype.Component;

/**
 * Deterministic batch ids for the idempotent consumer: a page re-read after a crash forms the same
 * batches (same cursor, same page size), so they get the same ids and are skipped.
 */
@Component("batchIds")
public class ImportBatchIds {

    public String of(String stage, List<? extends CanonicalRecord> batch) {
        if (batch.isEmpty()) {
            return stage + ":empty";
        }
        return stage + ":" + batch.get(0).sourceId() + ".." + batch.get(batch.size() - 1).sourceId() + "#" + batch.size();
    }
}
