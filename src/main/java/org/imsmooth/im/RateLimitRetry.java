package org.imsmooth.im;

import org.imsmooth.im.api.ImApi;

/**
 * What {@link ImTransport} does when IM answers a call "rate limited" (60007 and the other rate-limit
 * codes): whoever paces the calls may wait for a new slot and have the one call sent again at once, so
 * that a refusal costs one call slot instead of a failed batch and its back-off. Without one (the
 * default), the answer is thrown as an {@link ImRetryableException} like any other transient failure.
 */
public interface RateLimitRetry {

    /**
     * Called after IM refused the {@code attempt}-th try of a call to {@code api} with a rate-limit code.
     *
     * @return true once a new slot for the retry has come (the transport sends the call again), false to
     *         give up (the transport throws the answer)
     */
    boolean awaitRetry(ImApi api, int errorCode, int attempt);

    /**
     * IM answered a call to {@code api} made by this thread (any answer but a rate-limit refusal, which IM did
     * not count): whoever paces the calls may learn from how long the answer took when IM counted the call.
     */
    default void answered(ImApi api) {
    }

    RateLimitRetry NONE = (api, errorCode, attempt) -> false;
}
