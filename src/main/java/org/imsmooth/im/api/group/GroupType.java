package org.imsmooth.im.api.group;

/**
 * Group type names as REST spells them (reference 6). Private = new-version Work,
 * ChatRoom = Meeting; AVChatRoom cannot be imported (10007).
 */
public final class GroupType {
    public static final String PRIVATE = "Private";
    public static final String PUBLIC = "Public";
    public static final String CHAT_ROOM = "ChatRoom";
    public static final String AV_CHAT_ROOM = "AVChatRoom";
    public static final String COMMUNITY = "Community";

    private GroupType() {
    }
}
