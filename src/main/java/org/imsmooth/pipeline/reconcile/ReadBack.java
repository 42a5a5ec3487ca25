package org.imsmooth.pipeline.reconcile;

import java.util.ArrayList;
import java.util.List;

/** What reading one kind back from IM found. */
final class ReadBack {

    long checked;
    long failed;
    long notVerifiable;
    String note;
    final List<ReconciliationReport.Difference> differences = new ArrayList<>();

    ReadBack(String note) {
        this.note = note;
    }

    void ok() {
        checked++;
    }

    void fail(String kind, String id, String problem) {
        checked++;
        failed++;
        differences.add(new ReconciliationReport.Difference(kind, id, problem));
    }
}
