package org.imsmooth.ops.security;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses (400, JSON reason) a request whose path is not already normalized: dot segments
 * ({@code /../}, {@code /./}), empty segments ({@code //}), path parameters ({@code ;x=y}), backslashes, and percent-encoded characters that need no encoding
 * (letters, digits, {@code .-_~}) or are separators. The container would map such a
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
        if (uri.contains("//") || uri.contains("/./") || uri.contains("/../") || uri.endsWith("/.") || uri.endsWith("/..")
                || uri.indexOf(';') >= 0 || uri.indexOf('\\') >= 0) {
            return false;
        }
        // a percent-encoded character that never needs encoding (RFC 3986 "unreserved"), or a separator
        for (int i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 1)) {
            if (i + 2 >= uri.length()) {
                return false;
            }
            int c;
            try {
                c = Integer.parseInt(uri.substring(i + 1, i + 3), 16);
            } catch (NumberFormatException e) {
                return false;
            }
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == '\\'
                    || c == ';' || c < 0x20) {
                return false;
            }
        }
        return true;
    }
}
