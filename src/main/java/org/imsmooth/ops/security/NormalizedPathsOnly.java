package org.imsmooth.ops.security;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses (400, JSON reason) a request whose path is not already normalized: dot segments
 * ({@code /../}, {@code /./}), encoded dots, slashes or backslashes. The container would map such a
 * path after normalizing it, but filters and servlets that look at the raw path would see something
 * else (one answered {@code /intake/old-system/../../actuator/...} with a 500); no client of this
 * service needs such a path. First of all filters, before any body is read.
 */
public final class NormalizedPathsOnly implements Filter {

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        if (!normalized(request.getRequestURI())) {
            HttpServletResponse response = (HttpServletResponse) res;
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"the request path is not normalized (dot segments or encoded separators)\"}");
            return;
        }
        chain.doFilter(req, res);
    }

    static boolean normalized(String uri) {
        if (uri == null) {
            return true;
        }
        String path = uri.toLowerCase(Locale.ROOT);
        return !(path.contains("/./") || path.contains("/../") || path.endsWith("/.") || path.endsWith("/..")
                || path.contains("%2e") || path.contains("%2f") || path.contains("%5c") || path.contains("\\")
                || path.contains("/.;") || path.contains("/..;"));
    }
}
