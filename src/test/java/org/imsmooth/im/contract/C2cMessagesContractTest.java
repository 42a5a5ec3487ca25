package org.imsmooth.im.contract;

import java.util.ArrayList;
import java.util.List;

import org.imsmooth.im.api.MsgElement;
import org.imsmooth.im.api.c2c.AdminGetRoamMsgRequest;
import org.imsmooth.im.api.c2c.AdminGetRoamMsgResult;
import org.imsmooth.im.api.c2c.AdminSetMsgReadRequest;
import org.imsmooth.im.api.c2c.ImportMsgRequest;
import org.imsmooth.im.api.c2c.RoamMsg;
import org.imsmooth.im.api.c2c.SendMsgRequest;
import org.imsmooth.im.api.c2c.SendMsgResult;
import org.imsmooth.sandbox.support.CallbackReceiver;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** importmsg, admin_set_msg_read, sendmsg, admin_getroammsg, and the C2C after-send callback. */
class C2cMessagesContractTest extends ContractTestBase {

    private static final String AFTER_SEND = "C2C.CallbackAfterSendMsg";

    @Test
    void importMsgThenAdminGetRoamMsgReturnsTheHistoryInOrder() {
        importAccounts("ann", "ben");
        long t = now() - 3600;
        c2c.importMsg(ImportMsgRequest.history("ann", "ben", 1, 11, t, List.of(MsgElement.text("first"))));
        c2c.importMsg(ImportMsgRequest.history("ben", "ann", 2, 22, t + 1, List.of(MsgElement.text("second"))));
        c2c.importMsg(new ImportMsgRequest(ImportMsgRequest.HISTORY, "ann", "ben", 3L, 33L, t + 2,
                List.of(MsgElement.custom("{\"k\":1}")), "cloud-3"));
        // A re-sent duplicate (same MsgSeq, MsgRandom, MsgTimeStamp) is dropped; the first import wins.
        c2c.importMsg(ImportMsgRequest.history("ann", "ben", 1, 11, t, List.of(MsgElement.text("changed"))));

        AdminGetRoamMsgResult r = c2c.adminGetRoamMsg(new AdminGetRoamMsgRequest("ann", "ben", 100, t - 10, now(), null));
        assertThat(r.finished()).isTrue();
        assertThat(r.msgCnt()).isEqualTo(3);
        assertThat(r.msgList()).extracting(RoamMsg::msgSeq).containsExactly(1L, 2L, 3L);
        assertThat(r.msgList()).extracting(RoamMsg::msgRandom).containsExactly(11L, 22L, 33L);
        assertThat(r.msgList()).extracting(RoamMsg::msgTimeStamp).containsExactly(t, t + 1, t + 2);
        assertThat(r.msgList()).extracting(RoamMsg::fromAccount).containsExactly("ann", "ben", "ann");
        assertThat(r.msgList().get(0).msgBody()).containsExactly(MsgElement.text("first"));
        assertThat(r.msgList().get(2).msgBody()).containsExactly(MsgElement.custom("{\"k\":1}"));
        assertThat(r.msgList().get(2).cloudCustomData()).isEqualTo("cloud-3");
        assertThat(r.msgList().get(0).msgKey()).isEqualTo("1_11_" + t);
        // importmsg fires no callbacks.
        assertThat(RECEIVER.of(AFTER_SEND)).isEmpty();
    }

    @Test
    void adminGetRoamMsgPagesFromNewestToOldestWithLastMsgKey() {
        importAccounts("cat", "dan");
        long t = now() - 600;
        for (int i = 0; i < 5; i++) {
            c2c.importMsg(ImportMsgRequest.history("cat", "dan", i + 1, 100 + i, t + i, List.of(MsgElement.text("m" + i))));
        }
        List<Long> seqs = new ArrayList<>();
        AdminGetRoamMsgResult page = c2c.adminGetRoamMsg(new AdminGetRoamMsgRequest("dan", "cat", 2, t - 1, now(), null));
        int guard = 0;
        while (true) {
            List<Long> pageSeqs = page.msgList().stream().map(RoamMsg::msgSeq).toList();
            seqs.addAll(0, pageSeqs);
            if (page.finished() || guard++ > 5) {
                break;
            }
            page = c2c.adminGetRoamMsg(new AdminGetRoamMsgRequest("dan", "cat", 2, t - 1, page.lastMsgTime(), page.lastMsgKey()));
        }
        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void importMsgErrors() {
        importAccounts("eve", "fay");
        long t = now() - 60;
        List<MsgElement> body = List.of(MsgElement.text("x"));
        permanent(90030, () -> c2c.importMsg(new ImportMsgRequest(1, "eve", "fay", 1L, 1L, t, body, null)));
        permanent(90030, () -> c2c.importMsg(new ImportMsgRequest(null, "eve", "fay", 1L, 1L, t, body, null)));
        permanent(90012, () -> c2c.importMsg(ImportMsgRequest.history("eve", "ghost", 1, 1, t, body)));
        permanent(90048, () -> c2c.importMsg(ImportMsgRequest.history("ghost", "fay", 1, 1, t, body)));
        permanent(90005, () -> c2c.importMsg(new ImportMsgRequest(2, "eve", "fay", 1L, null, t, body, null)));
        permanent(90010, () -> c2c.importMsg(ImportMsgRequest.history("eve", "fay", 1, 1, t,
                List.of(MsgElement.of("TIMNoSuchElem", java.util.Map.of("Text", "x"))))));
        assertThat(c2c.adminGetRoamMsg(new AdminGetRoamMsgRequest("eve", "fay", 10, t - 10, now(), null)).msgCnt()).isZero();
    }

    @Test
    void adminSetMsgReadMarksThePeersMessagesRead() {
        importAccounts("gus", "hal");
        long t = now() - 100;
        c2c.importMsg(ImportMsgRequest.history("gus", "hal", 1, 1, t, List.of(MsgElement.text("to hal"))));
        c2c.importMsg(ImportMsgRequest.history("gus", "hal", 2, 2, t + 10, List.of(MsgElement.text("later"))));
        // hal reads everything up to t + 5: only the first message is read.
        c2c.adminSetMsgRead(new AdminSetMsgReadRequest("hal", "gus", t + 5));
        AdminGetRoamMsgResult r = c2c.adminGetRoamMsg(new AdminGetRoamMsgRequest("gus", "hal", 10, t - 1, now(), null));
        assertThat(r.msgList()).extracting(RoamMsg::isPeerRead).containsExactly(1, 0);

        permanent(90008, () -> c2c.adminSetMsgRead(new AdminSetMsgReadRequest("ghost", "gus", null)));
        permanent(90003, () -> c2c.adminSetMsgRead(new AdminSetMsgReadRequest("hal", null, null)));
    }

    @Test
    void adminGetRoamMsgErrors() {
        importAccounts("ian");
        permanent(90008, () -> c2c.adminGetRoamMsg(new AdminGetRoamMsgRequest("ghost", "ian", 10, 0L, now(), null)));
        permanent(90003, () -> c2c.adminGetRoamMsg(new AdminGetRoamMsgRequest("ian", "ghost", 10, 0L, now(), null)));
    }

    @Test
    void sendMsgLandsInRoamingAndFiresTheAfterSendCallback() {
        importAccounts("jo", "kim");
        SendMsgResult sent = c2c.sendMsg(SendMsgRequest.of("jo", "kim", 4242, List.of(MsgElement.text("live hello"))));
        assertThat(sent.msgTime()).isNotNull();
        assertThat(sent.msgKey()).isNotBlank();
        assertThat(sent.msgId()).isNotBlank();

        List<CallbackReceiver.Received> cbs = awaitCallbacks(AFTER_SEND, 1);
        JsonNode cb = cbs.get(0).body();
        assertThat(cb.path("From_Account").asText()).isEqualTo("jo");
        assertThat(cb.path("To_Account").asText()).isEqualTo("kim");
        assertThat(cb.path("MsgRandom").asLong()).isEqualTo(4242);
        assertThat(cb.path("MsgKey").asText()).isEqualTo(sent.msgKey());
        assertThat(cb.at("/MsgBody/0/MsgContent/Text").asText()).isEqualTo("live hello");
        assertThat(cbs.get(0).query()).containsEntry("OptPlatform", "RESTAPI");

        AdminGetRoamMsgResult r = c2c.adminGetRoamMsg(new AdminGetRoamMsgRequest("kim", "jo", 10, sent.msgTime() - 5, now() + 5, null));
        assertThat(r.msgList()).singleElement().satisfies(m -> {
            assertThat(m.msgKey()).isEqualTo(sent.msgKey());
            assertThat(m.msgRandom()).isEqualTo(4242L);
            assertThat(m.msgBody()).containsExactly(MsgElement.text("live hello"));
        });
        // The sandbox's own log shows the same delivery.
        JsonNode log = adminGet("/sandbox/admin/callbacks");
        assertThat(log.findValuesAsText("command")).contains(AFTER_SEND);
    }

    @Test
    void sendMsgWithoutCallbacksFiresNone() throws InterruptedException {
        importAccounts("lee", "max");
        SendMsgResult quiet = c2c.sendMsg(SendMsgRequest.of("lee", "max", 1, List.of(MsgElement.text("quiet"))).withoutCallbacks());
        // A later plain send does fire: once it has arrived, the quiet one would have arrived before it.
        SendMsgResult loud = c2c.sendMsg(SendMsgRequest.of("lee", "max", 2, List.of(MsgElement.text("loud"))));
        List<CallbackReceiver.Received> cbs = awaitCallbacks(AFTER_SEND, 1);
        assertThat(RECEIVER.of(AFTER_SEND)).singleElement()
                .satisfies(c -> assertThat(c.body().path("MsgKey").asText()).isEqualTo(loud.msgKey()));
        assertThat(cbs.get(0).body().path("MsgKey").asText()).isNotEqualTo(quiet.msgKey());
        // The quiet message still landed.
        assertThat(c2c.adminGetRoamMsg(new AdminGetRoamMsgRequest("max", "lee", 10, quiet.msgTime() - 5, now() + 5, null)).msgCnt())
                .isEqualTo(2);
    }

    @Test
    void sendMsgErrors() {
        importAccounts("ned");
        List<MsgElement> body = List.of(MsgElement.text("x"));
        permanent(90012, () -> c2c.sendMsg(SendMsgRequest.of("ned", "ghost", 1, body)));
        permanent(90048, () -> c2c.sendMsg(SendMsgRequest.of("ghost", "ned", 1, body)));
        permanent(90002, () -> c2c.sendMsg(SendMsgRequest.of("ned", "ned", 1, List.of())));
        assertThat(RECEIVER.of(AFTER_SEND)).isEmpty();
    }
}
