package org.imsmooth.ops.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.ImMigrationApplication;
import org.imsmooth.support.OperatorLogin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The service pointed at an IM other than the built-in sandbox, with {@code SANDBOX_ENABLED} left at its
 * default (on): the sandbox's endpoints are gone, the demo credential is refused, and one start-up line
 * names the protections. Refused configurations stop the service before its first side effect: the
 * state database is never created, the user's old-system database never written.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false", "change-capture.enabled=false",
        "im.base-url=http://127.0.0.1:9/", "im.region=guangzhou",
        "ops.password=" + ProductionModeTest.PASSWORD, "im.callback-token=tok-prod-1c2d"})
class ProductionModeTest {

    static final String PASSWORD = "pw-prod-4e5f";

    @LocalServerPort int port;
    @TempDir Path temp;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theSandboxIsOffAndTheDemoCredentialRefused(CapturedOutput output) throws Exception {
        HttpResponse<String> anonymous = get("/sandbox/admin/stats", null);
        assertThat(anonymous.statusCode()).as("faults, quotas, reset, act-as-any-user: not served").isEqualTo(404);
        for (String path : new String[] {"/sandbox/admin/reset", "/sandbox/admin/faults"}) {
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).as(path).isIn(403, 404);
        }
        HttpResponse<String> v4 = http.send(HttpRequest.newBuilder(URI.create(base() + "/v4/im_open_login_svc/account_check"
                + "?sdkappid=1400000000&identifier=administrator&usersig=x&random=1&contenttype=json"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(v4.statusCode()).as("IM's REST API is the real IM's, not served here").isEqualTo(404);
        assertThat(get("/api/migration/status", OperatorLogin.basic()).statusCode()).as("the demo credential").isEqualTo(401);
        assertThat(get("/api/migration/status", OperatorLogin.basic("operator", PASSWORD)).statusCode()).isEqualTo(200);
        assertThat(output.getAll()).contains("Protections: production: IM at http://127.0.0.1:9/")
                .contains("sandbox endpoints: off").contains("IM callbacks: signed").doesNotContain(PASSWORD);
    }

    @Test
    void theDemoRefusesAUsersDatabaseBeforeAnyWrite() throws Exception {
        String theirs = "jdbc:h2:file:" + temp.resolve("their-chat") + ";AUTO_SERVER=TRUE";
        try (Connection c = DriverManager.getConnection(theirs, "sa", "")) {
            c.createStatement().execute("CREATE TABLE members (id INT PRIMARY KEY)");
        }
        Path state = temp.resolve("state");
        assertThatThrownBy(() -> start("--oldsystem.datasource.url=" + theirs, "--oldsystem.demo.enabled=true",
                "--spring.datasource.url=jdbc:h2:file:" + state))
                .isInstanceOf(StartupRefusedException.class)
                .hasMessageStartingWith("OLD_SYSTEM_DEMO=true, but the old-system database jdbc:h2:file:")
                .hasMessageContaining("MEMBERS");
        assertThat(tables(theirs)).containsExactly("MEMBERS");
        assertThat(Files.exists(Path.of(state + ".mv.db"))).as("the state database was never opened").isFalse();
    }

    @Test
    void anUnreachableOldDatabaseStopsTheStartAtTheFirstCheck() {
        Path state = temp.resolve("state2");
        assertThatThrownBy(() -> start("--oldsystem.datasource.url=jdbc:postgresql://127.0.0.1:1/oldchat",
                "--spring.datasource.url=jdbc:h2:file:" + state))
                .isInstanceOf(StartupRefusedException.class)
                .hasMessageStartingWith("The old system's database jdbc:postgresql://127.0.0.1:1/oldchat cannot be reached: ")
                .hasMessageContaining("Connection refused");
        assertThat(Files.exists(Path.of(state + ".mv.db"))).isFalse();
    }

    private static void start(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server.port=0", "--migration.auto-start=false", "--ops.password=x-" + PASSWORD));
        new SpringApplicationBuilder(ImMigrationApplication.class).profiles("test").run(all.toArray(String[]::new)).close();
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private static List<String> tables(String url) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        return names;
    }
}
