package org.imsmooth.ops.security;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.LoggerFactory;

/**
 * The open endpoints ({@code POST /im/callback}, {@code POST /intake/old-system/*}) read their body
 * before they can check who sent it (IM signs the query string; the intake's JSON is bound before its
 * handler runs). This filter comes first: a body over the limit is refused with 413 and a JSON reason,
 * by its {@code Content-Length} before a byte is read, and a streamed (chunked) body as soon as it
 * passes the limit while being read; the connection is then closed. A body within the limit is handed
 * on from memory, so the endpoint never holds more than the limit per request.
 */
public final class BoundedRequestBodies implements Filter {

    static final String CALLBACK = "/im/callback";

    private final long limit;
    private final RefusalLog refusals;

    public BoundedRequestBodies(long limit, RefusalLog.Factory refusals) {
        this.limit = limit;
        this.refusals = refusals.forLogger(LoggerFactory.getLogger("ops.security.request-body"));
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            refuse(request, response, "declares " + declared + " bytes");
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), limit);
        if (body == null) {
            refuse(request, response, "sent more than " + limit + " bytes");
            return;
        }
        chain.doFilter(new BufferedBody(request, body), response);
    }

    /** The body, or null once it grows past {@code max} (the rest is left unread). */
    static byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(max, 8192));
        byte[] chunk = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(chunk)) != -1) {
            total += n;
            if (total > max) {
                return null;
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String what) throws IOException {
        String path = request.getRequestURI();
        refusals.refused(request.getRemoteAddr(), request.getMethod() + " " + path + ": body too large (" + what
                + ", limit " + limit + ")");
        String reason = "request body too large: at most " + limit + " bytes are accepted (ops.security.max-request-body)";
        String json = CALLBACK.equals(request.getServletPath())
                ? "{\"ActionStatus\":\"FAIL\",\"ErrorCode\":1,\"ErrorInfo\":\"" + reason + "\"}"
                : "{\"accepted\":false,\"status\":413,\"reason\":\"" + reason + "\"}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        // the unread rest of the body is not swallowed: the connection ends with this answer
        response.setHeader("Connection", "close");
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
    }

    /** The request with its body already in memory (the container's stream is consumed). */
    static final class BufferedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public byte[] readAllBytes() {
                    return in.readAllBytes();
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body is already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = StandardCharsets.UTF_8;
            try {
                charset = encoding == null ? charset : Charset.forName(encoding);
            } catch (IllegalArgumentException unknown) {
                // a made-up charset name: read as UTF-8
            }
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
