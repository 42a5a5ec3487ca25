package org.imsmooth.ops.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 over a plain socket, for what {@link java.net.http.HttpClient} will not send: a request
 * line exactly as written (dot segments, encodings), a chosen client address on the loopback
 * (127.0.0.2 ... so per-client limits can be tested side by side), and a huge body streamed while the
 * answer is read, counting how much of it the server took before it answered and hung up.
 */
final class RawHttp {

    record Response(int status, Map<String, String> headers, String body, long bodyBytesSent) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /** A request with a small body given whole (its Content-Length is added). */
    static Response send(String clientAddress, int port, String head, byte[] body) throws IOException {
        return send(clientAddress, port, head + "Content-Length: " + body.length + "\r\n", 0, false, body);
    }

    static Response send(String clientAddress, int port, String head, long bodyBytes, boolean chunked) throws IOException {
        return send(clientAddress, port, head, bodyBytes, chunked, null);
    }

    /**
     * @param head      request line and headers, each ending in CRLF, without the blank line
     * @param bodyBytes a body of this many bytes ('x'), streamed from another thread
     * @param chunked   sent with {@code Transfer-Encoding: chunked} (else the head carries Content-Length)
     */
    private static Response send(String clientAddress, int port, String head, long bodyBytes, boolean chunked, byte[] fixed)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(clientAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + (chunked ? "Transfer-Encoding: chunked\r\n" : "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (fixed != null) {
                out.write(fixed);
            }
            out.flush();
            AtomicLong sent = new AtomicLong();
            Thread writer = null;
            if (bodyBytes > 0) {
                writer = new Thread(() -> stream(out, bodyBytes, chunked, sent), "raw-http-body");
                writer.setDaemon(true);
                writer.start();
            }
            Response response = read(socket.getInputStream(), sent);
            if (writer != null) {
                socket.close(); // ends the writer if the server still reads
                try {
                    writer.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Response(response.status(), response.headers(), response.body(), sent.get());
        }
    }

    private static void stream(OutputStream out, long total, boolean chunked, AtomicLong sent) {
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, (byte) 'x');
        byte[] chunkHead = (Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] crlf = "\r\n".getBytes(StandardCharsets.ISO_8859_1);
        try {
            while (sent.get() < total) {
                int n = (int) Math.min(block.length, total - sent.get());
                if (chunked) {
                    out.write(n == block.length ? chunkHead : (Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write(block, 0, n);
                if (chunked) {
                    out.write(crlf);
                }
                sent.addAndGet(n);
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
        } catch (IOException serverHungUp) {
            // expected for a refused body: the server answered and closed the connection
        }
    }

    private static Response read(InputStream in, AtomicLong sent) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("connection closed before a response (" + sent.get() + " body bytes sent)");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = line(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = headers.get("content-length");
        if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length)));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            String size;
            while ((size = line(in)) != null && !size.isEmpty()) {
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    break;
                }
                body.write(in.readNBytes(n));
                line(in);
            }
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8), sent.get());
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                return line.toString();
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.length() == 0 ? null : line.toString();
    }
}
