package org.imsmooth.pipeline;

/**
 * A reader stopped because its instance no longer holds the reader lease (another instance took it
 * over after this one failed to renew it in time): the new holder reads on from the durable cursor,
 * so this one must neither read another page nor move the cursor. Not a failure of the stage.
 */
public class ReaderLeaseLostException extends RuntimeException {

    public ReaderLeaseLostException(String stage) {
        super("Stage " + stage + ": this instance no longer holds the reader lease; its reader stops");
    }
}
