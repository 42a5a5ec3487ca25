package org.imsmooth.im;

import org.imsmooth.im.api.ImApi;
import org.imsmooth.im.api.MsgElement;
import org.imsmooth.im.api.account.AccountImportRequest;
import org.imsmooth.im.api.c2c.ImportMsgRequest;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The client wired by Spring as the app wires it, with DEBUG logging on (TRACE for Camel, DEBUG for
 * Apache HttpClient and the JDK's): neither the SecretKey, the UserSig nor the callback token may reach
 * a log line, an exception message or a toString, on Camel's HTTP component.
 */
@SpringBootTest(classes = {ImClientConfiguration.class, CamelAutoConfiguration.class}, properties = {
        "camel.main.routes-collector-enabled=false",
        "logging.level.org.apache.camel=TRACE",
        "logging.level.org.apache.hc=DEBUG",
        "im.request-timeout=1500ms",
        "logging.level.org.imsmooth=TRACE",
        "logging.level.org.springframework=DEBUG",
        "logging.level.jdk.internal.httpclient=DEBUG",
        "logging.level.java.net.http=DEBUG"})
@ExtendWith(OutputCaptureExtension.class)
class ImSecretsNotLeakedTest {

    static final String SECRET_KEY = "f00dfeed0123456789abcdefSECRETKEY";
    static final String CALLBACK_TOKEN = "cbTOKENvalue42";
    static final FakeIm IM = startIm();
    /** "usersig=" followed by anything but the redaction marker. */
    static final String UNREDACTED_QUERY_SIG = "usersig=(?!\\[redacted])";

    @DynamicPropertySource
    static void imUrl(DynamicPropertyRegistry registry) {
        registry.add("im.base-url", IM::baseUrl);
        // like environment variables in production, not in the test's configuration (which Spring's test
        // framework logs at DEBUG when the next test class starts its context)
        registry.add("im.secret-key", () -> SECRET_KEY);
        registry.add("im.callback-token", () -> CALLBACK_TOKEN);
    }

    // IM is not closed: a daemon-less HttpServer ends with the test JVM

    @Autowired
    ApplicationContext context;
    @Autowired
    ImAccounts imAccounts;
    @Autowired
    ImC2cMessages imC2cMessages;
    @Autowired
    AdminUserSig adminUserSig;
    @Autowired
    ImProperties properties;

    @Test
    void facadesAreBeansUnderTheNamesRoutesUse() {
        assertThat(context.getBean("imAccounts")).isInstanceOf(ImAccounts.class);
        assertThat(context.getBean("imProfiles")).isInstanceOf(ImProfiles.class);
        assertThat(context.getBean("imFriends")).isInstanceOf(ImFriends.class);
        assertThat(context.getBean("imC2cMessages")).isInstanceOf(ImC2cMessages.class);
        assertThat(context.getBean("imGroupImport")).isInstanceOf(ImGroupImport.class);
        assertThat(context.getBean("imGroupLive")).isInstanceOf(ImGroupLive.class);
        assertThat(context.getBean("imGroupReads")).isInstanceOf(ImGroupReads.class);
        assertThat(properties.baseUrl()).isEqualTo(IM.baseUrl());
    }

    @Test
    void secretsStayOutOfLogsExceptionsAndToString(CapturedOutput output) {
        List<String> texts = new ArrayList<>();

        // A successful call.
        IM.respond(r -> FakeIm.Reply.ok("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\"}"));
        imAccounts.accountImport(AccountImportRequest.of("alice"));
        String userSig = IM.last().query().get("usersig");
        assertThat(userSig).isEqualTo(adminUserSig.get()).hasSizeGreaterThan(50);

        // A FAIL whose ErrorInfo echoes the whole query string (the worst a server could do).
        IM.respond(r -> FakeIm.Reply.ok("{\"ActionStatus\":\"FAIL\",\"ErrorCode\":70001,\"ErrorInfo\":\"bad sig in "
                + r.rawQuery() + " key " + SECRET_KEY + " token " + CALLBACK_TOKEN + "\"}"));
        ImCallException fail = catchThrowableOfType(ImPermanentException.class, () -> imC2cMessages.importMsg(
                ImportMsgRequest.history("alice", "bob", 1, 2, 3, List.of(MsgElement.text("hi")))));
        assertThat(fail.errorCode()).isEqualTo(70001);
        assertThat(fail.errorInfo()).contains("[redacted]");
        texts.add(fail.getMessage());
        texts.add(fail.toString());
        texts.add(fail.errorInfo());

        // HTTP 502 and a timeout.
        IM.respond(r -> new FakeIm.Reply(502, "bad gateway", 0));
        texts.add(catchThrowableOfType(ImRetryableException.class,
                () -> imC2cMessages.importMsg(ImportMsgRequest.history("a", "b", 1, 2, 3, List.of()))).getMessage());
        IM.respond(r -> new FakeIm.Reply(200, "{}", 3_500));
        texts.add(catchThrowableOfType(ImRetryableException.class,
                () -> imAccounts.accountImport(AccountImportRequest.of("slow"))).getMessage());

        texts.add(properties.toString());
        texts.add(adminUserSig.toString());
        texts.add(context.getBean(ImTransport.class).toString());
        assertThat(context.getBean(ImTransport.class).toString()).contains("[camel,");
        texts.add(UserSigV2.decode(userSig).toString());

        // The logs did record the calls (so the capture works), by path and code.
        assertThat(output.getAll()).contains("v4/openim/importmsg", "ErrorCode 70001", "HTTP 502",
                "v4/im_open_login_svc/account_import");
        String tlsSig = UserSigV2.decode(userSig).sig();
        for (String text : texts) {
            assertThat(text).doesNotContain(SECRET_KEY, userSig, CALLBACK_TOKEN, tlsSig)
                    .doesNotContainPattern(UNREDACTED_QUERY_SIG);
        }
        assertThat(output.getAll()).doesNotContain(SECRET_KEY, userSig, CALLBACK_TOKEN, tlsSig)
                .doesNotContainPattern(UNREDACTED_QUERY_SIG);
        assertNoUrlWithQuery(output.getAll());
    }

    /** Camel's endpoint URIs (base URL, path, the secret-free query) are in its logs by design; no request URL is. */
    private static void assertNoUrlWithQuery(String log) {
        assertThat(log).doesNotContainPattern("v4/[a-z_]+/[a-z_]+\\?[^ ]*usersig");
    }

    private static FakeIm startIm() {
        try {
            return new FakeIm();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
