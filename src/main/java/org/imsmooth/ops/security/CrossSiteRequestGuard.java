package org.imsmooth.ops.security;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * CSRF defence for the stateless, HTTP-basic operator API (Spring's CSRF tokens are off: curl and
 * scripts must be able to POST). A browser that holds the operator's basic credentials would attach
 * them to a request another site makes it send; browsers mark such requests with
 * {@code Sec-Fetch-Site: cross-site} (or a foreign {@code Origin}), and those are refused here for
 * anything that changes state. Jolokia runs operations on GET as well ({@code /exec/...} in the path), so
 * for the Jolokia agent (also behind Hawtio) every method is covered. Requests without these headers
 * (curl, other services) pass.
 */
class CrossSiteRequestGuard extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final java.util.regex.Pattern JOLOKIA_PATH = java.util.regex.Pattern.compile("(?i)(^|/)jolokia(/|$)");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if ((!SAFE_METHODS.contains(request.getMethod()) || jolokia(request)) && crossSite(request)) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"cross-site request refused: operator actions must come from this service's own page or a non-browser client\"}");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The container's decoded, normalized path: no encoding or dot-segment trick gets around it. */
    static boolean jolokia(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return JOLOKIA_PATH.matcher(path).find();
    }

    private static boolean crossSite(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            return "cross-site".equals(site) || "same-site".equals(site);
        }
        String origin = request.getHeader("Origin");
        if (origin == null || "null".equals(origin)) {
            return origin != null;
        }
        String own = request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort();
        String ownDefault = request.getScheme() + "://" + request.getServerName();
        return !origin.equals(own) && !origin.equals(ownDefault);
    }
}
