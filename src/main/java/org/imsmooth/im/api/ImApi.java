package org.imsmooth.im.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every Tencent IM REST API this service calls, with its path and documented limits
 * (../shared/reference/tencent-im-api.md). Shared by the client and the sandbox so both agree on
 * paths; the sandbox owns its own validation rules, the client owns its own batching.
 */
public enum ImApi {
    // accounts and profiles
    ACCOUNT_IMPORT("im_open_login_svc", "account_import", 200, 1),
    MULTIACCOUNT_IMPORT("im_open_login_svc", "multiaccount_import", 100, 100),
    ACCOUNT_CHECK("im_open_login_svc", "account_check", 200, 100),
    PORTRAIT_SET("profile", "portrait_set", 200, 1),
    PORTRAIT_GET("profile", "portrait_get", 200, 100),
    // relationship chain
    FRIEND_IMPORT("sns", "friend_import", 200, 100),
    FRIEND_GET("sns", "friend_get", 200, 100),
    // one-to-one messages
    IMPORT_MSG("openim", "importmsg", 200, 1),
    ADMIN_SET_MSG_READ("openim", "admin_set_msg_read", 200, 1),
    SEND_MSG("openim", "sendmsg", 200, 1),
    ADMIN_GET_ROAM_MSG("openim", "admin_getroammsg", 200, 1),
    // groups
    IMPORT_GROUP("group_open_http_svc", "import_group", 200, 1),
    IMPORT_GROUP_MEMBER("group_open_http_svc", "import_group_member", 200, 20),
    IMPORT_GROUP_MSG("group_open_http_svc", "import_group_msg", 200, 7),
    SET_UNREAD_MSG_NUM("group_open_http_svc", "set_unread_msg_num", 200, 1),
    CREATE_GROUP("group_open_http_svc", "create_group", 200, 100),
    DESTROY_GROUP("group_open_http_svc", "destroy_group", 200, 1),
    MODIFY_GROUP_BASE_INFO("group_open_http_svc", "modify_group_base_info", 200, 1),
    ADD_GROUP_MEMBER("group_open_http_svc", "add_group_member", 200, 20),
    DELETE_GROUP_MEMBER("group_open_http_svc", "delete_group_member", 200, 100),
    SEND_GROUP_MSG("group_open_http_svc", "send_group_msg", 200, 1),
    GET_GROUP_INFO("group_open_http_svc", "get_group_info", 200, 50),
    GET_GROUP_MEMBER_INFO("group_open_http_svc", "get_group_member_info", 200, 100),
    GROUP_MSG_GET_SIMPLE("group_open_http_svc", "group_msg_get_simple", 200, 20),
    GET_JOINED_GROUP_LIST("group_open_http_svc", "get_joined_group_list", 200, 5000);

    private final String service;
    private final String command;
    private final int defaultCallsPerSecond;
    private final int defaultBatchLimit;

    ImApi(String service, String command, int defaultCallsPerSecond, int defaultBatchLimit) {
        this.service = service;
        this.command = command;
        this.defaultCallsPerSecond = defaultCallsPerSecond;
        this.defaultBatchLimit = defaultBatchLimit;
    }

    public String service() { return service; }

    /** The command name as Tencent spells it, e.g. {@code import_group_msg}; also the key in quota settings. */
    public String command() { return command; }

    /** Path below the domain, e.g. {@code v4/openim/importmsg}. */
    public String path() { return "v4/" + service + "/" + command; }

    /** Documented per-SdkAppID rate limit (calls per second). */
    public int defaultCallsPerSecond() { return defaultCallsPerSecond; }

    /** Documented (or safest documented) number of items per call. */
    public int defaultBatchLimit() { return defaultBatchLimit; }

    public static Optional<ImApi> byPath(String service, String command) {
        return Arrays.stream(values())
                .filter(a -> a.service.equals(service) && a.command.equals(command))
                .findFirst();
    }

    public static Optional<ImApi> byCommand(String command) {
        return Arrays.stream(values()).filter(a -> a.command.equals(command)).findFirst();
    }
}
