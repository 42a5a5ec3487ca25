package org.imsmooth.sandbox.http;

/** A whole-call failure: becomes {@code ActionStatus FAIL} with this code (HTTP stays 200). */
public class ImApiException extends RuntimeException {

    private final int code;

    public ImApiException(int code, String info) {
        super(info, null, false, false);
        this.code = code;
    }

    public int code() { return code; }
}
