package org.imsmooth.sync.toold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.pipeline.message.MessageBodies;
import org.junit.jupiter.api.Test;

/** Callback bodies of reference 7.1 become canonical events; bodies that cannot be written are rejected. */
class ImCallbackEventsTest {

    final ImCallbackEvents events = new ImCallbackEvents(new MessageBodies(8000));

    @Test
    void c2cMessageKeepsItsKeyTimeAndBody() {
        ImEvent e = events.toEvent("{\"CallbackCommand\":\"C2C.CallbackAfterSendMsg\",\"From_Account\":\"u9\",\"To_Account\":\"u3\","
                + "\"MsgTime\":1700000000,\"MsgKey\":\"k1\",\"SendMsgResult\":0,\"CloudCustomData\":\"x\","
                + "\"MsgBody\":[{\"MsgType\":\"TIMLocationElem\",\"MsgContent\":{\"Desc\":\"here\",\"Latitude\":1.5,\"Longitude\":2.5}}]}");
        assertThat(e.kind()).isEqualTo(ImEventKind.C2C_MESSAGE);
        assertThat(e.imRef()).isEqualTo("k1");
        assertThat(e.happenedAtMs()).isEqualTo(1_700_000_000_000L);
        assertThat(e.msgKind()).isEqualTo("location");
        assertThat(e.msgBody()).contains("\"desc\":\"here\"").contains("\"latitude\":1.5");
        assertThat(e.cloudCustomData()).isEqualTo("x");
        assertThat(e.delivered()).isTrue();
    }

    @Test
    void groupEventsUseEventTimeAndTheirMemberLists() {
        ImEvent msg = events.toEvent("{\"CallbackCommand\":\"Group.CallbackAfterSendMsg\",\"GroupId\":\"g4\",\"From_Account\":\"u1\","
                + "\"Operator_Account\":\"u1\",\"MsgSeq\":17,\"MsgTime\":1700000000,\"EventTime\":1700000000123,"
                + "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"hi\"}}]}");
        assertThat(msg.imRef()).isEqualTo("g4:17");
        assertThat(msg.happenedAtMs()).isEqualTo(1_700_000_000_123L);
        assertThat(msg.msgBody()).isEqualTo("hi");

        ImEvent created = events.toEvent("{\"CallbackCommand\":\"Group.CallbackAfterCreateGroup\",\"GroupId\":\"@TGS#2AB\","
                + "\"Type\":\"Public\",\"Name\":\"Club\",\"Owner_Account\":\"u1\",\"Operator_Account\":\"u1\","
                + "\"MemberList\":[{\"Member_Account\":\"u1\"},{\"Member_Account\":\"u2\"}],\"EventTime\":1}");
        assertThat(created.members()).containsExactly("u1", "u2");
        assertThat(created.owner()).isEqualTo("u1");

        ImEvent left = events.toEvent("{\"CallbackCommand\":\"Group.CallbackAfterMemberExit\",\"GroupId\":\"g4\","
                + "\"ExitType\":\"Kicked\",\"Operator_Account\":\"u1\",\"ExitMemberList\":[{\"Member_Account\":\"u5\"}],\"EventTime\":2}");
        assertThat(left.kind()).isEqualTo(ImEventKind.MEMBERS_LEFT);
        assertThat(left.members()).containsExactly("u5");

        ImEvent changed = events.toEvent("{\"CallbackCommand\":\"Group.CallbackAfterGroupInfoChanged\",\"GroupId\":\"g4\","
                + "\"Operator_Account\":\"u1\",\"Notification\":\"rules\",\"EventTime\":3}");
        assertThat(changed.notification()).isEqualTo("rules");
        assertThat(changed.name()).as("not changed").isNull();
    }

    @Test
    void undeliveredMessagesAreMarked() {
        ImEvent e = events.toEvent("{\"CallbackCommand\":\"C2C.CallbackAfterSendMsg\",\"From_Account\":\"u1\",\"To_Account\":\"u2\","
                + "\"MsgTime\":1,\"MsgKey\":\"k\",\"SendMsgResult\":80001,"
                + "\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"dirty\"}}]}");
        assertThat(e.delivered()).isFalse();
    }

    @Test
    void bodiesThatCannotBeWrittenAreRejectedWithTheReason() {
        assertThatThrownBy(() -> events.toEvent("{\"CallbackCommand\":\"C2C.CallbackAfterSendMsg\",\"From_Account\":\"u1\","
                + "\"To_Account\":\"u2\",\"MsgKey\":\"k\"}"))
                .isInstanceOf(RejectedRecordException.class).hasMessageContaining("MsgBody");
        assertThatThrownBy(() -> events.toEvent("{\"CallbackCommand\":\"Group.CallbackAfterNewMemberJoin\",\"GroupId\":\"g1\","
                + "\"NewMemberList\":[]}"))
                .isInstanceOf(RejectedRecordException.class).hasMessageContaining("no member");
        assertThatThrownBy(() -> events.toEvent("{\"CallbackCommand\":\"Group.CallbackAfterSendMsg\",\"MsgSeq\":1}"))
                .isInstanceOf(RejectedRecordException.class).hasMessageContaining("GroupId");
        assertThatThrownBy(() -> events.toEvent("[1,2]")).isInstanceOf(RejectedRecordException.class);
    }
}
