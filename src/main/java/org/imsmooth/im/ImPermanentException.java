package org.imsmooth.im;

import org.imsmooth.im.api.ImApi;

/** Retrying the same request cannot succeed (bad parameter, missing account, size, auth...): dead-letter it. */
public class ImPermanentException extends ImCallException {

    public ImPermanentException(ImApi api, int errorCode, String errorInfo, int httpStatus) {
        super(api, errorCode, errorInfo, httpStatus);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
