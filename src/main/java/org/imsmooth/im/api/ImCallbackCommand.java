package org.imsmooth.im.api;

import java.util.Arrays;
import java.util.Optional;

/** The after-event callbacks IM sends to the app backend (reference section 7.1). */
public enum ImCallbackCommand {
    C2C_AFTER_SEND_MSG("C2C.CallbackAfterSendMsg"),
    GROUP_AFTER_CREATE_GROUP("Group.CallbackAfterCreateGroup"),
    GROUP_AFTER_GROUP_DESTROYED("Group.CallbackAfterGroupDestroyed"),
    GROUP_AFTER_GROUP_INFO_CHANGED("Group.CallbackAfterGroupInfoChanged"),
    GROUP_AFTER_NEW_MEMBER_JOIN("Group.CallbackAfterNewMemberJoin"),
    GROUP_AFTER_MEMBER_EXIT("Group.CallbackAfterMemberExit"),
    GROUP_AFTER_SEND_MSG("Group.CallbackAfterSendMsg");

    private final String wireName;

    ImCallbackCommand(String wireName) { this.wireName = wireName; }

    /** The value of the {@code CallbackCommand} query parameter and body field. */
    public String wireName() { return wireName; }

    public static Optional<ImCallbackCommand> byWireName(String name) {
        return Arrays.stream(values()).filter(c -> c.wireName.equals(name)).findFirst();
    }
}
