package org.imsmooth.im.api;

import java.util.List;

/**
 * A result whose envelope can say OK while single items failed (reference section 0, "Emulator
 * note"). Callers must look at {@link #failedItems()} rather than trust the envelope.
 */
public interface BatchResult {

    /** The failed items with their codes; empty when every item succeeded. */
    List<ItemFailure> failedItems();

    default boolean allSucceeded() {
        return failedItems().isEmpty();
    }
}
