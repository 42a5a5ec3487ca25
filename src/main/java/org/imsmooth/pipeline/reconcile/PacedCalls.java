package org.imsmooth.pipeline.reconcile;

import java.util.function.Supplier;

import org.imsmooth.im.ImRetryableException;
import org.imsmooth.pipeline.ApiQuotas;
import org.springframework.stereotype.Component;

/**
 * Read-back calls share the APIs' quotas with the import, so they are paced like the pipelines
 * (each API by its own quota, through {@link ApiQuotas#acquire}, whatever the number of threads
 * calling) and retried (with a growing pause) when IM answers with a retryable error.
 */
@Component
class PacedCalls {

    private static final int ATTEMPTS = 6;

    private final ApiQuotas quotas;
    private final ReconciliationProgress progress;

    PacedCalls(ApiQuotas quotas, ReconciliationProgress progress) {
        this.quotas = quotas;
        this.progress = progress;
    }

    <T> T call(String command, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            quotas.acquire(command);
            progress.called(command);
            try {
                return call.get();
            } catch (ImRetryableException e) {
                quotas.onFailure(e);
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                sleep(250L << attempt);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading IM back", e);
        }
    }
}
