package org.imsmooth.sync.toold;

import java.util.Optional;

import org.imsmooth.im.api.ImCallbackCommand;

/** What happened in IM, one kind per after-event callback the old system is told about. */
public enum ImEventKind {
    C2C_MESSAGE("c2c-message", ImCallbackCommand.C2C_AFTER_SEND_MSG),
    GROUP_MESSAGE("group-message", ImCallbackCommand.GROUP_AFTER_SEND_MSG),
    GROUP_CREATED("group-created", ImCallbackCommand.GROUP_AFTER_CREATE_GROUP),
    GROUP_DESTROYED("group-destroyed", ImCallbackCommand.GROUP_AFTER_GROUP_DESTROYED),
    GROUP_CHANGED("group-changed", ImCallbackCommand.GROUP_AFTER_GROUP_INFO_CHANGED),
    MEMBERS_JOINED("members-joined", ImCallbackCommand.GROUP_AFTER_NEW_MEMBER_JOIN),
    MEMBERS_LEFT("members-left", ImCallbackCommand.GROUP_AFTER_MEMBER_EXIT);

    private final String label;
    private final ImCallbackCommand command;

    ImEventKind(String label, ImCallbackCommand command) {
        this.label = label;
        this.command = command;
    }

    /** Used in metric tags, logs and dead-letter headers. */
    public String label() {
        return label;
    }

    public boolean isGroupEvent() {
        return this != C2C_MESSAGE;
    }

    public static Optional<ImEventKind> of(ImCallbackCommand command) {
        for (ImEventKind kind : values()) {
            if (kind.command == command) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
