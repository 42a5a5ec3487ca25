package org.imsmooth.im;

import org.imsmooth.im.api.ImApi;

/** Transient: rate limit, IM-internal error, HTTP 5xx, timeout or connection failure. Redeliver later. */
public class ImRetryableException extends ImCallException {

    public ImRetryableException(ImApi api, int errorCode, String errorInfo, int httpStatus) {
        super(api, errorCode, errorInfo, httpStatus);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
