package org.imsmooth.im.camel;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.imsmooth.im.ImQueryString;

/**
 * Adds IM's per-call query parameters (the UserSig and a fresh random) to each request as Apache
 * HttpClient sends it, after Camel is done with it. So the UserSig is never part of an endpoint URI
 * (JMX, Hawtio, the endpoint registry, Camel's logs), of a message header (tracer, debugger, a queue)
 * or of an exception Camel builds. Set on the IM endpoints as {@code httpClientConfigurer=#imPerCallQuery}.
 */
public final class ImUserSigQuery implements HttpClientConfigurer {

    private final ImQueryString query;

    public ImUserSigQuery(ImQueryString query) {
        this.query = query;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addRequestInterceptorFirst(this::appendPerCallPart);
    }

    private void appendPerCallPart(HttpRequest request, EntityDetails entity, HttpContext context) {
        String path = request.getPath();
        if (path.contains("usersig=")) {
            return; // a re-execution of the same request object: it has them already
        }
        request.setPath(path + (path.indexOf('?') >= 0 ? "&" : "?") + query.perCallPart());
    }

    @Override
    public String toString() {
        return "ImUserSigQuery";
    }
}
