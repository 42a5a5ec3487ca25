package org.imsmooth.im;

import org.imsmooth.im.api.ImApi;

import java.io.IOException;

/**
 * The HTTP leg of an IM call: POSTs a JSON body to an API and hands back IM's status and body as
 * bytes. Everything above it (UserSig, envelope, error classification, metrics) is {@link ImTransport}'s.
 * The implementation is Camel's HTTP component ({@code im.camel.CamelImHttp}: one route and endpoint per
 * API, visible in Hawtio); this interface keeps Camel out of the rest of the client.
 * <p>
 * An implementation adds IM's common query string ({@link ImQueryString}) and must keep the UserSig
 * out of anything it logs, registers or throws.
 */
public interface ImHttp {

    /** IM's answer: the HTTP status and the body as received. */
    record Answer(int status, byte[] body) {
    }

    /**
     * @throws IOException when no answer came (connection refused, timeout: a {@link java.io.InterruptedIOException})
     */
    Answer post(ImApi api, byte[] json) throws IOException, InterruptedException;

    /** The transport's name, for logs and toString. */
    String name();
}
