package org.imsmooth.pipeline;

/** Ends the process with an exit code (one-shot mode); a bean, so a test can see the code instead. */
@FunctionalInterface
public interface ProcessExit {

    void exit(int code);
}
