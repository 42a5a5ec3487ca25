package org.imsmooth.im.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.imsmooth.im.ImEndpoint;
import org.imsmooth.im.ImHttp;
import org.imsmooth.im.ImProperties;
import org.imsmooth.im.ImQueryString;
import org.imsmooth.im.ImTransport;
import org.imsmooth.im.api.ImApi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * The IM client's HTTP leg: every IM API is a route of its own, {@code im-api-<command>}
 * ({@code direct:im-api-<command>} to an HTTP endpoint, step id {@code im-<command>}), so Hawtio's route
 * and endpoint views, Camel's JMX statistics and {@code /actuator/prometheus} (camel-micrometer's route
 * policy) show calls, failures and latency per IM API. The endpoints run on Apache HttpClient 5 with the
 * {@code camel.component.http.*} options of application.yml (pool, keep-alive, TLS); the timeouts are
 * {@code im.connect-timeout} and {@code im.request-timeout}, as endpoint options in each URI.
 * <p>
 * An endpoint URI holds the base URL, the API path, sdkappid, identifier and contenttype: no secret.
 * The UserSig and the random are added to each request by Apache HttpClient ({@link ImUserSigQuery}).
 * Failures: no answer is an {@link IOException} (a timeout an {@link java.io.InterruptedIOException});
 * a non-2xx status fails the Camel exchange (counted as failed per API) and comes back as an answer.
 * <p>
 * The routes are added once the base URL is known: at start-up, or for the built-in sandbox on a random
 * port at the first call.
 */
public final class CamelImHttp implements ImHttp {

    public static final String ROUTE_ID_PREFIX = "im-api-";
    public static final String USERSIG_QUERY_BEAN = "imPerCallQuery";

    private final CamelContext camel;
    private final ImProperties properties;
    private final ImEndpoint endpoint;
    private final ImQueryString query;
    private final ImUserSigQuery userSigQuery;
    private volatile Map<ImApi, Endpoint> apis;
    private volatile ProducerTemplate producer;

    public CamelImHttp(CamelContext camel, ImProperties properties, ImEndpoint endpoint, ImQueryString query,
                       ImUserSigQuery userSigQuery) {
        this.camel = camel;
        this.properties = properties;
        this.endpoint = endpoint;
        this.query = query;
        this.userSigQuery = userSigQuery;
    }

    /** The route of an IM API, e.g. {@code im-api-importmsg}. */
    public static String routeId(ImApi api) {
        return ROUTE_ID_PREFIX + api.command();
    }

    /** The id of the route's HTTP step, e.g. {@code im-importmsg}. */
    public static String callId(ImApi api) {
        return "im-" + api.command();
    }

    /** An API's endpoint URI as Camel registers it: base URL, path, the secret-free query, endpoint options. */
    public String endpointUri(ImApi api) {
        return endpoint.baseUri() + "/" + api.path() + "?" + query.fixedPart()
                + "&httpClientConfigurer=#" + USERSIG_QUERY_BEAN
                + "&connectTimeout=" + properties.connectTimeout().toMillis()
                + "&responseTimeout=" + properties.requestTimeout().toMillis()
                // Camel headers are not HTTP headers here, and IM's response headers are not needed
                + "&httpMethod=POST&skipRequestHeaders=true&skipResponseHeaders=true&copyHeaders=false";
    }

    @Override
    public Answer post(ImApi api, byte[] json) throws IOException {
        Endpoint direct = routes().get(api);
        Exchange exchange = direct.createExchange();
        Message in = exchange.getIn();
        in.setBody(json);
        in.setHeader(Exchange.CONTENT_TYPE, ImTransport.JSON_CONTENT_TYPE);
        producer.send(direct, exchange);

        Exception failure = exchange.getException();
        if (failure != null) {
            if (failure instanceof HttpOperationFailedException status) {
                String body = status.getResponseBody();
                return new Answer(status.getStatusCode(), body == null ? null : body.getBytes(StandardCharsets.UTF_8));
            }
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof IOException io) {
                    throw io;
                }
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            // e.g. the route not running yet or any more: no answer from IM, worth another try
            throw new IOException("IM route " + routeId(api) + ": " + failure.getClass().getSimpleName());
        }
        Message out = exchange.getMessage();
        Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return new Answer(status == null ? 0 : status, out.getBody(byte[].class));
    }

    /**
     * Adds the API routes now if IM's address is known (always, unless the built-in sandbox runs on a port
     * not chosen yet), so Hawtio shows them before the first call.
     *
     * @return whether the routes exist
     */
    public boolean addRoutesIfAddressKnown() {
        try {
            endpoint.baseUri();
        } catch (IllegalStateException e) {
            return false;
        }
        try {
            routes();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Map<ImApi, Endpoint> routes() throws IOException {
        Map<ImApi, Endpoint> m = apis;
        if (m == null) {
            synchronized (this) {
                if (apis == null) {
                    apis = addRoutes();
                }
                m = apis;
            }
        }
        return m;
    }

    private Map<ImApi, Endpoint> addRoutes() throws IOException {
        if (camel.getRegistry().lookupByName(USERSIG_QUERY_BEAN) == null) {
            camel.getRegistry().bind(USERSIG_QUERY_BEAN, userSigQuery); // outside Spring (tests)
        }
        try {
            camel.addRoutes(new RouteBuilder(camel) {
                @Override
                public void configure() {
                    // the caller (ImTransport) classifies every failure: no retry, no logging here
                    errorHandler(noErrorHandler());
                    for (ImApi api : ImApi.values()) {
                        from("direct:" + routeId(api)).routeId(routeId(api))
                                .routeDescription("Tencent IM " + api.path())
                                .to(endpointUri(api)).id(callId(api));
                    }
                }
            });
        } catch (Exception e) {
            throw new IOException("IM API routes could not be added: " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
        Map<ImApi, Endpoint> m = new EnumMap<>(ImApi.class);
        for (ImApi api : ImApi.values()) {
            m.put(api, camel.getEndpoint("direct:" + routeId(api)));
        }
        producer = camel.createProducerTemplate();
        return m;
    }

    @Override
    public String name() {
        return "camel";
    }

    @Override
    public String toString() {
        return "CamelImHttp[routes " + ROUTE_ID_PREFIX + "*]";
    }
}
