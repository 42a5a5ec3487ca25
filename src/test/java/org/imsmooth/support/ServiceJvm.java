package org.imsmooth.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/** What a test needs to start the service as a JVM of its own (one-shot runs, kills, exit codes). */
public final class ServiceJvm {

    private ServiceJvm() {
    }

    /** The java launcher of the JVM running the tests. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The test class path (surefire's, when surefire runs the test in a forked JVM). */
    public static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
