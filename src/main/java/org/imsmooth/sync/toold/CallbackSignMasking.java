package org.imsmooth.sync.toold;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Whatever logs a request line with its query string (Spring's request logging at DEBUG, a firewall
 * rejection) must not show the Sign of {@code /im/callback}. The query string is shown with the Sign
 * masked; the parameters stay readable for the authenticator.
 */
@Component
public class CallbackSignMasking extends OncePerRequestFilter {

    private static final Pattern SIGN = Pattern.compile("(?i)(^|&)(Sign=)[^&]*");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"/im/callback".equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getQueryString() {
                String query = super.getQueryString();
                return query == null ? null : SIGN.matcher(query).replaceAll("$1$2***");
            }
        }, response);
    }
}
