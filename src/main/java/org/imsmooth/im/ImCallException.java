package org.imsmooth.im;

import org.imsmooth.im.api.ImApi;

/**
 * A failed IM call. Carries the API, IM's ErrorCode/ErrorInfo and the HTTP status so routes and
 * dead-letter headers can record why; the message names the API path and the code only, never the
 * URL (its query string holds the UserSig).
 */
public abstract class ImCallException extends RuntimeException {

    /** No IM code: the call failed before IM answered (timeout, connection, HTTP status). */
    public static final int NO_CODE = -1;

    private final ImApi api;
    private final int errorCode;
    private final String errorInfo;
    private final int httpStatus;

    protected ImCallException(ImApi api, int errorCode, String errorInfo, int httpStatus) {
        super("IM " + api.path() + " failed: "
                + (errorCode != NO_CODE ? "ErrorCode " + errorCode : "no ErrorCode")
                + (errorInfo != null && !errorInfo.isEmpty() ? " (" + errorInfo + ")" : "")
                + (httpStatus > 0 ? ", HTTP " + httpStatus : ""));
        this.api = api;
        this.errorCode = errorCode;
        this.errorInfo = errorInfo;
        this.httpStatus = httpStatus;
    }

    public ImApi api() {
        return api;
    }

    public int errorCode() {
        return errorCode;
    }

    public String errorInfo() {
        return errorInfo;
    }

    /** The HTTP status, or 0 when no response arrived. */
    public int httpStatus() {
        return httpStatus;
    }

    public abstract boolean retryable();
}
