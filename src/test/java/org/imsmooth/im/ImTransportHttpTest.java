package org.imsmooth.im;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.im.api.ImEnvelope;
import org.imsmooth.im.api.ItemFailure;
import org.imsmooth.im.api.MsgElement;
import org.imsmooth.im.api.account.AccountCheckRequest;
import org.imsmooth.im.api.account.AccountImportRequest;
import org.imsmooth.im.api.account.MultiAccountImportRequest;
import org.imsmooth.im.api.account.MultiAccountImportResult;
import org.imsmooth.im.api.c2c.AdminGetRoamMsgRequest;
import org.imsmooth.im.api.c2c.AdminSetMsgReadRequest;
import org.imsmooth.im.api.c2c.ImportMsgRequest;
import org.imsmooth.im.api.c2c.SendMsgRequest;
import org.imsmooth.im.api.c2c.SendMsgResult;
import org.imsmooth.im.api.group.AddGroupMemberRequest;
import org.imsmooth.im.api.group.CreateGroupRequest;
import org.imsmooth.im.api.group.DeleteGroupMemberRequest;
import org.imsmooth.im.api.group.DestroyGroupRequest;
import org.imsmooth.im.api.group.GetGroupInfoRequest;
import org.imsmooth.im.api.group.GetGroupMemberInfoRequest;
import org.imsmooth.im.api.group.GetJoinedGroupListRequest;
import org.imsmooth.im.api.group.GroupMsgGetSimpleRequest;
import org.imsmooth.im.api.group.GroupMsgItem;
import org.imsmooth.im.api.group.GroupType;
import org.imsmooth.im.api.group.ImportGroupMember;
import org.imsmooth.im.api.group.ImportGroupMemberRequest;
import org.imsmooth.im.api.group.ImportGroupMsgRequest;
import org.imsmooth.im.api.group.ImportGroupRequest;
import org.imsmooth.im.api.group.MemberListResult;
import org.imsmooth.im.api.group.ModifyGroupBaseInfoRequest;
import org.imsmooth.im.api.group.SendGroupMsgRequest;
import org.imsmooth.im.api.group.SetUnreadMsgNumRequest;
import org.imsmooth.im.api.profile.PortraitGetRequest;
import org.imsmooth.im.api.profile.PortraitSetRequest;
import org.imsmooth.im.api.sns.AddFriendItem;
import org.imsmooth.im.api.sns.FriendGetRequest;
import org.imsmooth.im.api.sns.FriendImportRequest;
import org.imsmooth.im.api.sns.FriendImportResult;
import org.imsmooth.im.api.TagValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The client over real HTTP against a JDK HttpServer standing in for IM; {@link CamelImTransportHttpTest}
 * runs these tests on Camel's HTTP component, with what only that transport has.
 */
abstract class ImTransportHttpTest {

    static final String KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
    static final String OK = "{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\"}";

    private final ObjectMapper json = new ObjectMapper();
    FakeIm im;
    ImTransport transport;
    final CamelImTransports transports = new CamelImTransports();

    @BeforeEach
    void start() throws Exception {
        im = new FakeIm();
        transport = newTransport(im.baseUrl(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        transports.close();
        im.close();
    }

    /** The transport under test. */
    abstract ImTransport newTransport(String baseUrl, Duration requestTimeout);

    static ImProperties properties(String baseUrl, Duration requestTimeout) {
        return new ImProperties("china", baseUrl, 1400000000L, "administrator", KEY, "cb-token",
                requestTimeout, Duration.ofSeconds(2), Duration.ofDays(7));
    }

    @Test
    void aRateLimitAnswerIsSentAgainWhenThePacerGivesItANewSlotAndThrownWhenItDoesNot() {
        ImProperties p = new ImProperties("china", im.baseUrl(), 1400000000L, "administrator", KEY, "cb-token",
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofDays(7));
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        RateLimitRetry twoRetries = new RateLimitRetry() {
            @Override
            public boolean awaitRetry(ImApi api, int code, int attempt) {
                asked.add(api.command() + " " + code + " " + attempt);
                return attempt <= 2;
            }

            @Override
            public void answered(ImApi api) {
                asked.add(api.command() + " answered");
            }
        };
        ImTransport paced = transports.transport(p, new MockEnvironment(),
                new io.micrometer.core.instrument.composite.CompositeMeterRegistry(), twoRetries);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        im.respond(r -> FakeIm.Reply.ok(n.incrementAndGet() <= 2
                ? "{\"ActionStatus\":\"FAIL\",\"ErrorCode\":60007,\"ErrorInfo\":\"rate\"}" : OK));
        assertThat(paced.call(ImApi.IMPORT_MSG, null).isOk()).isTrue();
        assertThat(im.received()).hasSize(3);
        // the pacer hears of the answer IM counted, not of the refusals it did not
        assertThat(asked).containsExactly("importmsg 60007 1", "importmsg 60007 2", "importmsg answered");

        // the pacer gives up after its tries: the answer is thrown as before
        im.respondAlways("{\"ActionStatus\":\"FAIL\",\"ErrorCode\":10006,\"ErrorInfo\":\"group rate\"}");
        assertThatThrownBy(() -> paced.call(ImApi.IMPORT_GROUP_MSG, null))
                .isInstanceOfSatisfying(ImRetryableException.class, e -> assertThat(e.errorCode()).isEqualTo(10006));
        assertThat(im.received()).hasSize(6);
        // other transient answers are not the pacer's
        asked.clear();
        im.respondAlways("{\"ActionStatus\":\"FAIL\",\"ErrorCode\":70169,\"ErrorInfo\":\"timeout\"}");
        assertThatThrownBy(() -> paced.call(ImApi.IMPORT_MSG, null)).isInstanceOf(ImRetryableException.class);
        assertThat(asked).as("IM answered (and counted) the call").containsExactly("importmsg answered");
        // no answer from IM: nothing to hear
        asked.clear();
        im.respond(r -> new FakeIm.Reply(502, "bad gateway", 0));
        assertThatThrownBy(() -> paced.call(ImApi.IMPORT_MSG, null)).isInstanceOf(ImRetryableException.class);
        assertThat(asked).isEmpty();
    }

    @Test
    void postsJsonWithTheCommonQueryString() throws Exception {
        ImAccounts accounts = new ImAccounts(transport);
        accounts.accountImport(new AccountImportRequest("user1", "Nick", null));
        accounts.accountImport(AccountImportRequest.of("user2"));

        FakeIm.Received r = im.received().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v4/im_open_login_svc/account_import");
        assertThat(r.query()).containsOnlyKeys("sdkappid", "identifier", "usersig", "random", "contenttype");
        assertThat(r.query()).containsEntry("sdkappid", "1400000000").containsEntry("identifier", "administrator")
                .containsEntry("contenttype", "json");
        UserSigV2.Decoded sig = UserSigV2.decode(r.query().get("usersig"));
        assertThat(sig.identifier()).isEqualTo("administrator");
        assertThat(sig.sdkAppId()).isEqualTo(1400000000L);
        assertThat(sig.signedWith(KEY)).isTrue();
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(json.readTree(r.body())).isEqualTo(json.readTree("{\"UserID\":\"user1\",\"Nick\":\"Nick\"}"));

        Set<Long> randoms = new HashSet<>();
        for (FakeIm.Received each : im.received()) {
            long random = Long.parseLong(each.query().get("random"));
            assertThat(random).isBetween(0L, 4294967295L);
            randoms.add(random);
        }
        assertThat(randoms).hasSize(2); // fresh per call
        assertThat(im.received().get(1).query().get("usersig")).isEqualTo(r.query().get("usersig")); // cached
    }

    @Test
    void nullRequestSendsEmptyObject() {
        ImEnvelope e = transport.call(ImApi.GET_JOINED_GROUP_LIST, null);
        assertThat(e.isOk()).isTrue();
        assertThat(im.last().body()).isEqualTo("{}");
    }

    @Test
    void typedResultIsParsedFromTheSameBody() {
        im.respondAlways("{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0,\"MsgTime\":1653624322,"
                + "\"MsgKey\":\"1200304_2001_1653624322\",\"MsgId\":\"144115223542286802-1653624322-2001\"}");
        SendMsgResult r = new ImC2cMessages(transport)
                .sendMsg(SendMsgRequest.of("a", "b", 2001, List.of(MsgElement.text("hi"))).withoutCallbacks());
        assertThat(r.msgTime()).isEqualTo(1653624322L);
        assertThat(r.msgKey()).isEqualTo("1200304_2001_1653624322");
        assertThat(im.last().body()).contains("\"ForbidCallbackControl\":[\"ForbidBeforeSendMsgCallback\",\"ForbidAfterSendMsgCallback\"]");
    }

    @Test
    void timeoutIsRetryable() {
        im.respond(r -> new FakeIm.Reply(200, OK, 2_000));
        ImTransport slow = newTransport(im.baseUrl(), Duration.ofMillis(300));
        assertThatThrownBy(() -> slow.call(ImApi.IMPORT_MSG, null))
                .isInstanceOfSatisfying(ImRetryableException.class, e -> {
                    assertThat(e.api()).isEqualTo(ImApi.IMPORT_MSG);
                    assertThat(e.errorCode()).isEqualTo(ImCallException.NO_CODE);
                    assertThat(e.httpStatus()).isZero();
                    assertThat(e.getMessage()).contains("v4/openim/importmsg").contains("timeout");
                });
    }

    @Test
    void connectionRefusedIsRetryable() throws Exception {
        String deadUrl;
        try (FakeIm gone = new FakeIm()) {
            deadUrl = gone.baseUrl();
        }
        ImTransport t = newTransport(deadUrl, Duration.ofSeconds(2));
        assertThatThrownBy(() -> t.call(ImApi.SEND_MSG, null)).isInstanceOf(ImRetryableException.class)
                .hasMessageContaining("v4/openim/sendmsg");
    }

    @Test
    void http502IsRetryableAnd404Permanent() {
        im.respond(r -> new FakeIm.Reply(502, "<html>Bad Gateway</html>", 0));
        assertThatThrownBy(() -> transport.call(ImApi.IMPORT_GROUP_MSG, null))
                .isInstanceOfSatisfying(ImRetryableException.class, e -> assertThat(e.httpStatus()).isEqualTo(502));

        im.respond(r -> new FakeIm.Reply(404, "not found", 0));
        assertThatThrownBy(() -> transport.call(ImApi.IMPORT_GROUP_MSG, null))
                .isInstanceOfSatisfying(ImPermanentException.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
    }

    @Test
    void failEnvelopeIsClassifiedByErrorCode() {
        im.respondAlways("{\"ActionStatus\":\"FAIL\",\"ErrorCode\":70001,\"ErrorInfo\":\"usersig is expired\"}");
        assertThatThrownBy(() -> new ImAccounts(transport).accountImport(AccountImportRequest.of("u")))
                .isInstanceOfSatisfying(ImPermanentException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(70001);
                    assertThat(e.errorInfo()).isEqualTo("usersig is expired");
                    assertThat(e.httpStatus()).isEqualTo(200);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).isEqualTo(
                            "IM v4/im_open_login_svc/account_import failed: ErrorCode 70001 (usersig is expired), HTTP 200");
                });

        im.respondAlways("{\"ActionStatus\":\"FAIL\",\"ErrorCode\":60007,\"ErrorInfo\":\"rate\"}");
        assertThatThrownBy(() -> transport.call(ImApi.ACCOUNT_IMPORT, null))
                .isInstanceOfSatisfying(ImRetryableException.class, e -> assertThat(e.errorCode()).isEqualTo(60007));

        // An "OK" with a non-zero code is not trusted as success.
        im.respondAlways("{\"ActionStatus\":\"OK\",\"ErrorCode\":91000,\"ErrorInfo\":\"internal\"}");
        assertThatThrownBy(() -> transport.call(ImApi.IMPORT_MSG, null)).isInstanceOf(ImRetryableException.class);
    }

    @Test
    void nonJsonAnswerIsPermanent() {
        im.respondAlways("<html>captive portal</html>");
        assertThatThrownBy(() -> transport.call(ImApi.IMPORT_MSG, null)).isInstanceOf(ImPermanentException.class)
                .hasMessageContaining("not an IM JSON envelope");
    }

    @Test
    void batchWithTwoBadItemsReportsExactlyThoseTwo() {
        im.respondAlways("""
                {"ResultItem":[{"To_Account":"f1","ResultCode":0,"ResultInfo":""},
                               {"To_Account":"f2","ResultCode":30003,"ResultInfo":"Err_SNS_FriendImport_Account_Not_Exist"},
                               {"To_Account":"f3","ResultCode":0,"ResultInfo":""},
                               {"To_Account":"f4","ResultCode":30006,"ResultInfo":"Err_SNS_Internal"}],
                 "Fail_Account":["f2","f4"],"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":""}""");
        FriendImportResult r = new ImFriends(transport).friendImport(new FriendImportRequest("me", List.of(
                AddFriendItem.of("f1", "AddSource_Type_Migration"), AddFriendItem.of("f2", "AddSource_Type_Migration"),
                AddFriendItem.of("f3", "AddSource_Type_Migration"), AddFriendItem.of("f4", "AddSource_Type_Migration"))));
        assertThat(r.failedItems()).extracting(ItemFailure::itemId, ItemFailure::code)
                .containsExactly(tuple("f2", 30003), tuple("f4", 30006));
        // Same table for items: the missing account is dead-lettered, the internal error retried.
        assertThat(r.failedItems()).extracting(f -> ImErrorClassifier.isRetryable(f.code())).containsExactly(false, true);

        im.respondAlways("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"FailAccounts\":[\"u2\",\"u5\"]}");
        MultiAccountImportResult m = new ImAccounts(transport)
                .multiaccountImport(MultiAccountImportRequest.ofIds(List.of("u1", "u2", "u3", "u4", "u5")));
        assertThat(m.failedItems()).extracting(ItemFailure::itemId).containsExactly("u2", "u5");

        im.respondAlways("{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"ErrorInfo\":\"\",\"MemberList\":["
                + "{\"Member_Account\":\"m1\",\"Result\":0},{\"Member_Account\":\"m2\",\"Result\":1},"
                + "{\"Member_Account\":\"m3\",\"Result\":2},{\"Member_Account\":\"m4\",\"Result\":0}]}");
        MemberListResult members = new ImGroupImport(transport).importGroupMember(new ImportGroupMemberRequest("g",
                List.of(new ImportGroupMember("m1", null, 1L, 0), new ImportGroupMember("m2", "Admin", 1L, 3))));
        assertThat(members.failedItems()).extracting(ItemFailure::itemId).containsExactly("m1", "m4");
    }

    /** Each facade method reaches the path of its ImApi, and together they cover every ImApi. */
    @Test
    void everyApiHasAFacadeMethodOnItsPath() {
        ImAccounts accounts = new ImAccounts(transport);
        ImProfiles profiles = new ImProfiles(transport);
        ImFriends friends = new ImFriends(transport);
        ImC2cMessages c2c = new ImC2cMessages(transport);
        ImGroupImport groupImport = new ImGroupImport(transport);
        ImGroupLive live = new ImGroupLive(transport);
        ImGroupReads reads = new ImGroupReads(transport);
        List<MsgElement> body = List.of(MsgElement.text("x"));
        Map<ImApi, Runnable> calls = new EnumMap<>(ImApi.class);
        calls.put(ImApi.ACCOUNT_IMPORT, () -> accounts.accountImport(AccountImportRequest.of("u")));
        calls.put(ImApi.MULTIACCOUNT_IMPORT, () -> accounts.multiaccountImport(MultiAccountImportRequest.ofIds(List.of("u"))));
        calls.put(ImApi.ACCOUNT_CHECK, () -> accounts.accountCheck(AccountCheckRequest.of(List.of("u"))));
        calls.put(ImApi.PORTRAIT_SET, () -> profiles.portraitSet(new PortraitSetRequest("u", List.of(TagValue.of("Tag_Profile_IM_Nick", "n")))));
        calls.put(ImApi.PORTRAIT_GET, () -> profiles.portraitGet(new PortraitGetRequest(List.of("u"), List.of("Tag_Profile_IM_Nick"))));
        calls.put(ImApi.FRIEND_IMPORT, () -> friends.friendImport(new FriendImportRequest("u", List.of(AddFriendItem.of("v", "AddSource_Type_X")))));
        calls.put(ImApi.FRIEND_GET, () -> friends.friendGet(FriendGetRequest.page("u", 0)));
        calls.put(ImApi.IMPORT_MSG, () -> c2c.importMsg(ImportMsgRequest.history("u", "v", 1, 2, 3, body)));
        calls.put(ImApi.ADMIN_SET_MSG_READ, () -> c2c.adminSetMsgRead(new AdminSetMsgReadRequest("u", "v", null)));
        calls.put(ImApi.SEND_MSG, () -> c2c.sendMsg(SendMsgRequest.of("u", "v", 1, body)));
        calls.put(ImApi.ADMIN_GET_ROAM_MSG, () -> c2c.adminGetRoamMsg(new AdminGetRoamMsgRequest("u", "v", 10, 0L, 9L, null)));
        calls.put(ImApi.IMPORT_GROUP, () -> groupImport.importGroup(ImportGroupRequest.of("g", GroupType.PUBLIC, "n", "u", 1L)));
        calls.put(ImApi.IMPORT_GROUP_MEMBER, () -> groupImport.importGroupMember(new ImportGroupMemberRequest("g", List.of())));
        calls.put(ImApi.IMPORT_GROUP_MSG, () -> groupImport.importGroupMsg(new ImportGroupMsgRequest("g", null, null,
                List.of(new GroupMsgItem("u", 5L, 6L, body)))));
        calls.put(ImApi.SET_UNREAD_MSG_NUM, () -> groupImport.setUnreadMsgNum(new SetUnreadMsgNumRequest("g", "u", 3)));
        calls.put(ImApi.CREATE_GROUP, () -> live.createGroup(CreateGroupRequest.of("g", GroupType.PRIVATE, "n", "u")));
        calls.put(ImApi.DESTROY_GROUP, () -> live.destroyGroup(new DestroyGroupRequest("g")));
        calls.put(ImApi.MODIFY_GROUP_BASE_INFO, () -> live.modifyGroupBaseInfo(new ModifyGroupBaseInfoRequest("g", "n2",
                null, null, null, null, null, null, null, null, null)));
        calls.put(ImApi.ADD_GROUP_MEMBER, () -> live.addGroupMember(AddGroupMemberRequest.of("g", List.of("v"))));
        calls.put(ImApi.DELETE_GROUP_MEMBER, () -> live.deleteGroupMember(new DeleteGroupMemberRequest("g", List.of("v"), 1, null)));
        calls.put(ImApi.SEND_GROUP_MSG, () -> live.sendGroupMsg(SendGroupMsgRequest.of("g", "u", 7, body)));
        calls.put(ImApi.GET_GROUP_INFO, () -> reads.getGroupInfo(GetGroupInfoRequest.of(List.of("g"))));
        calls.put(ImApi.GET_GROUP_MEMBER_INFO, () -> reads.getGroupMemberInfo(GetGroupMemberInfoRequest.page("g", 100, 0)));
        calls.put(ImApi.GROUP_MSG_GET_SIMPLE, () -> reads.groupMsgGetSimple(new GroupMsgGetSimpleRequest("g", 20, null, null, null)));
        calls.put(ImApi.GET_JOINED_GROUP_LIST, () -> reads.getJoinedGroupList(GetJoinedGroupListRequest.withUnread("u")));

        assertThat(calls.keySet()).containsExactlyInAnyOrder(ImApi.values());
        calls.forEach((api, call) -> {
            call.run();
            assertThat(im.last().path()).as(api.name()).isEqualTo("/" + api.path());
            assertThat(im.last().body()).as(api.name()).startsWith("{").doesNotContain("null");
        });
        assertThat(im.received()).hasSize(ImApi.values().length);
    }
}
