package org.imsmooth.sync.toold;

import org.springframework.http.HttpStatus;

/** A callback request the endpoint refuses: the HTTP status and a reason safe to show and log. */
public class CallbackRefusedException extends RuntimeException {

    private final HttpStatus status;

    public CallbackRefusedException(HttpStatus status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}
