package org.imsmooth.sandbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.imsmooth.sandbox.support.SandboxTestBase;
import org.junit.jupiter.api.Test;

/**
 * application.yml keeps HTTP connections open for any number of requests (Tomcat closes each after 100
 * by default): IM calls and callbacks arrive over a few long-lived connections, and ten reconnects a
 * second made buffers that lived just long enough to fill the old generation.
 */
class ConnectionReuseTest extends SandboxTestBase {

    @Test
    void oneConnectionServesFarMoreThanAHundredRequests() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 1; i <= 250; i++) {
                out.write(("GET /sandbox/admin/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = readHead(in);
                assertThat(head).as("response %d", i).startsWith("HTTP/1.1 200");
                assertThat(head.toLowerCase(Locale.ROOT)).as("response %d", i).doesNotContain("connection: close");
                String body = readBody(in, head);
                assertThat(body).as("response %d", i).contains("\"calls\"");
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed by the server after: " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static String readBody(InputStream in, String head) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (lower.contains("transfer-encoding: chunked")) {
            while (true) {
                int size = Integer.parseInt(readLine(in).trim(), 16);
                if (size == 0) {
                    readLine(in); // the empty line after the last chunk
                    break;
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        } else {
            int at = lower.indexOf("content-length:");
            int end = lower.indexOf("\r\n", at);
            body.write(in.readNBytes(Integer.parseInt(lower.substring(at + "content-length:".length(), end).trim())));
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.append((char) b);
        }
        return line.toString();
    }
}
