package org.imsmooth.im;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.imsmooth.im.camel.CamelImHttp;
import org.imsmooth.im.camel.ImUserSigQuery;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * IM clients for tests, built outside Spring the way {@link ImClientConfiguration} builds the app's: on
 * Camel's HTTP component, each in a Camel context of its own (the API routes' ids are the same in every
 * client). {@link #close()} stops the contexts.
 */
public final class CamelImTransports implements AutoCloseable {

    private final List<CamelContext> contexts = new ArrayList<>();
    private CamelContext last;

    public ImTransport transport(ImProperties p) {
        return transport(p, new MockEnvironment(), new SimpleMeterRegistry(), RateLimitRetry.NONE);
    }

    public synchronized ImTransport transport(ImProperties p, Environment environment, MeterRegistry metrics, RateLimitRetry retry) {
        CamelContext camel = new DefaultCamelContext();
        camel.start();
        contexts.add(camel);
        last = camel;
        ImEndpoint endpoint = new ImEndpoint(p, environment);
        AdminUserSig sig = new AdminUserSig(p, Clock.systemUTC());
        ImQueryString query = new ImQueryString(p, sig);
        return new ImTransport(p, endpoint, sig, new CamelImHttp(camel, p, endpoint, query, new ImUserSigQuery(query)), metrics, retry);
    }

    /** The Camel context of the client made last. */
    public synchronized CamelContext lastCamel() {
        return last;
    }

    @Override
    public synchronized void close() {
        contexts.forEach(CamelContext::stop);
        contexts.clear();
    }
}
