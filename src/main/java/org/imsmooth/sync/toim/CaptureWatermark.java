package org.imsmooth.sync.toim;

import java.time.Instant;
import java.util.List;

import org.imsmooth.pipeline.MigrationListener;
import org.imsmooth.state.StageProgress;
import org.springframework.stereotype.Component;

/**
 * Ties change capture to the historical import: when the import starts, the capture's first
 * cursor is set (if it has none yet), so everything created during the import is captured too;
 * when it finishes, the changes that waited for it are released at once.
 */
@Component
public class CaptureWatermark implements MigrationListener {

    private final ChangeCapture capture;
    private final HeldChanges held;

    public CaptureWatermark(ChangeCapture capture, HeldChanges held) {
        this.capture = capture;
        this.held = held;
    }

    @Override
    public void importStarting() {
        capture.ensureWatermark(Instant.now());
    }

    @Override
    public void importFinished(List<StageProgress.Counters> stages) {
        held.release();
    }
}
