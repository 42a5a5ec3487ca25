package org.imsmooth.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.im.AdminUserSig;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.imsmooth.support.OperatorLogin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service with a SecretKey IM does not accept: every call fails with a signature error,
 * the batch is dead-lettered with IM's code, and neither the SecretKey, the UserSig nor the callback
 * token appears in any log line or in the dead-lettered message, even with DEBUG logging on. Nor does
 * the operator's password (from the environment), whether a request brings it right or wrong.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "oldsystem.demo.users=30",
        "logging.level.org.imsmooth=DEBUG",
        "logging.level.org.apache.camel=DEBUG",
        "logging.level.org.springframework.security=DEBUG"})
class SecretsStayOutOfLogsAndQueuesTest {

    static final String CLIENT_SECRET = "client-secret-5bd2850fff3ecb11d7c805251c51ee46";
    static final String CALLBACK_TOKEN = "callback-token-f00dfeed";
    static final String OPERATOR_PASSWORD = "operator-password-7c1e99d2a4";

    /** Like environment variables in production: not part of the test's visible configuration. */
    @DynamicPropertySource
    static void secrets(DynamicPropertyRegistry registry) {
        registry.add("im.secret-key", () -> CLIENT_SECRET);
        registry.add("im.callback-token", () -> CALLBACK_TOKEN);
        registry.add("sandbox.secret-key", () -> "the-sandbox-knows-another-key-0123456789");
        registry.add("ops.password", () -> OPERATOR_PASSWORD);
    }

    @Autowired ProducerTemplate producer;
    @Autowired ConsumerTemplate consumer;
    @Autowired AdminUserSig userSig;
    @LocalServerPort int port;

    @Test
    void noSecretInLogsOrDeadLetters(CapturedOutput output) throws Exception {
        producer.sendBody("direct:import-accounts", null);
        Exchange dead = consumer.receive("jms:queue:im.import.accounts.DLQ", 30_000);
        assertThat(dead).as("the batch refused by IM is dead-lettered").isNotNull();
        assertThat(dead.getMessage().getHeader(DeadLetterHeaders.ERROR_CODE, Integer.class)).isEqualTo(70009);

        String sig = userSig.get();
        StringBuilder queued = new StringBuilder(dead.getMessage().getBody(String.class));
        dead.getMessage().getHeaders().forEach((k, v) -> queued.append(k).append('=').append(v).append('\n'));
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("70009"));

        String right = OperatorLogin.basic(OperatorLogin.USER, OPERATOR_PASSWORD);
        String wrong = OperatorLogin.basic(OperatorLogin.USER, OPERATOR_PASSWORD + "-wrong");
        assertThat(status(right)).isEqualTo(200);
        assertThat(status(wrong)).isEqualTo(401);
        assertThat(status(OperatorLogin.basic())).as("no demo credential once a password is set").isEqualTo(401);

        for (String secret : new String[] {CLIENT_SECRET, CALLBACK_TOKEN, sig, OPERATOR_PASSWORD, right.substring(6), wrong.substring(6)}) {
            assertThat(output.getAll()).as("log output").doesNotContain(secret);
            assertThat(queued.toString()).as("dead-lettered message").doesNotContain(secret);
        }
        assertThat(output.getAll()).doesNotContain("usersig=");
    }

    private int status(String authorization) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/migration/status"))
                .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
