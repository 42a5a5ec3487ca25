package org.imsmooth.im;

import org.springframework.core.env.Environment;

import java.net.URI;

/**
 * Resolves the IM base URL: {@code im.base-url} if set, else the region's domain, else (region
 * {@code sandbox}) this service's own HTTP port. The sandbox port is looked up at the first call,
 * not at startup, because {@code local.server.port} exists only once the web server runs (and tests
 * use random ports).
 */
public class ImEndpoint {

    private final ImProperties properties;
    private final Environment environment;
    private volatile URI resolved;

    public ImEndpoint(ImProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
        // Fail at startup on a typo rather than at the first call hours into a migration.
        if (!hasText(properties.baseUrl())) {
            ImRegion.parse(properties.region());
        }
    }

    /** The base URL without a trailing slash. */
    public URI baseUri() {
        URI uri = resolved;
        if (uri == null) {
            uri = resolve();
            resolved = uri;
        }
        return uri;
    }

    private URI resolve() {
        if (hasText(properties.baseUrl())) {
            return URI.create(stripSlash(properties.baseUrl().trim()));
        }
        ImRegion region = ImRegion.parse(properties.region());
        if (region != ImRegion.SANDBOX) {
            return URI.create("https://" + region.domain());
        }
        return URI.create("http://127.0.0.1:" + sandboxPort());
    }

    private int sandboxPort() {
        Integer local = environment.getProperty("local.server.port", Integer.class);
        if (local != null && local > 0) {
            return local;
        }
        int configured = environment.getProperty("server.port", Integer.class, 8080);
        if (configured > 0) {
            return configured;
        }
        // server.port=0 and the web server has not started yet: not cached, the next call asks again.
        throw new IllegalStateException("IM sandbox port not known yet: server.port is 0 and the web server has not started");
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }
}
