package org.imsmooth.sandbox.state;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.standalone.SandboxStandalone;
import org.imsmooth.sandbox.support.TestUserSigSigner;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** Two standalone sandboxes one after the other on the same H2 file: the second sees the first's state. */
class StateSurvivesRestartTest {

    private static final String KEY = "restart-test-key";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private JsonNode call(int port, ImApi api, String body) throws Exception {
        String sig = TestUserSigSigner.sign(KEY, 1400000000L, "administrator", System.currentTimeMillis() / 1000, 3600);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + api.path()
                + "?sdkappid=1400000000&identifier=administrator&usersig=" + sig + "&random=1&contenttype=json"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }

    private ConfigurableApplicationContext start(Path dir) {
        return SandboxStandalone.run("--server.port=0", "--sandbox.secret-key=" + KEY, "--sandbox.admin=administrator",
                "--sandbox.sdk-app-id=1400000000", "--sandbox.callback.url=",
                "--sandbox.state-url=jdbc:h2:file:" + dir.resolve("sandbox").toAbsolutePath());
    }

    private static int port(ConfigurableApplicationContext ctx) {
        return ((WebServerApplicationContext) ctx).getWebServer().getPort();
    }

    @Test
    void accountsGroupsAndMessagesSurviveARestart() throws Exception {
        Path dir = Files.createTempDirectory("sandbox-state");
        long created = System.currentTimeMillis() / 1000 - 1000;
        try (ConfigurableApplicationContext first = start(dir)) {
            int port = port(first);
            assertThat(call(port, ImApi.MULTIACCOUNT_IMPORT, "{\"Accounts\":[\"a\",\"b\"]}").path("ActionStatus").asText()).isEqualTo("OK");
            assertThat(call(port, ImApi.IMPORT_GROUP, "{\"Type\":\"Public\",\"GroupId\":\"g\",\"Name\":\"G\",\"Owner_Account\":\"a\","
                    + "\"CreateTime\":" + created + "}").path("ActionStatus").asText()).isEqualTo("OK");
            assertThat(call(port, ImApi.IMPORT_GROUP_MSG, "{\"GroupId\":\"g\",\"MsgList\":[{\"From_Account\":\"a\",\"SendTime\":"
                    + (created + 1) + ",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"x\"}}]}]}")
                    .at("/ImportMsgResult/0/MsgSeq").asInt()).isEqualTo(1);
        }
        try (ConfigurableApplicationContext second = start(dir)) {
            int port = port(second);
            JsonNode check = call(port, ImApi.ACCOUNT_CHECK, "{\"CheckItem\":[{\"UserID\":\"a\"},{\"UserID\":\"c\"}]}");
            assertThat(check.at("/ResultItem/0/AccountStatus").asText()).isEqualTo("Imported");
            assertThat(check.at("/ResultItem/1/AccountStatus").asText()).isEqualTo("NotImported");
            JsonNode info = call(port, ImApi.GET_GROUP_INFO, "{\"GroupIdList\":[\"g\"]}");
            assertThat(info.at("/GroupInfo/0/NextMsgSeq").asInt()).isEqualTo(2);
            assertThat(info.at("/GroupInfo/0/CreateTime").asLong()).isEqualTo(created);
        }
    }
}
