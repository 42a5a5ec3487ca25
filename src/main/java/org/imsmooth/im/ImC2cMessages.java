package org.imsmooth.im;

import org.imsmooth.im.api.ImApi;
import org.imsmooth.im.api.ImEnvelope;
import org.imsmooth.im.api.c2c.AdminGetRoamMsgRequest;
import org.imsmooth.im.api.c2c.AdminGetRoamMsgResult;
import org.imsmooth.im.api.c2c.AdminSetMsgReadRequest;
import org.imsmooth.im.api.c2c.ImportMsgRequest;
import org.imsmooth.im.api.c2c.SendMsgRequest;
import org.imsmooth.im.api.c2c.SendMsgResult;

/** One-to-one messages (v4/openim): history import, read marks, live send, read-back. Bean {@code imC2cMessages}. */
public class ImC2cMessages {

    private final ImTransport transport;

    public ImC2cMessages(ImTransport transport) {
        this.transport = transport;
    }

    /** History import; no callbacks, and IM drops re-sent duplicates. */
    public ImEnvelope importMsg(ImportMsgRequest request) {
        return transport.call(ImApi.IMPORT_MSG, request);
    }

    public ImEnvelope adminSetMsgRead(AdminSetMsgReadRequest request) {
        return transport.call(ImApi.ADMIN_SET_MSG_READ, request);
    }

    /** Live old→new send; use {@link SendMsgRequest#withoutCallbacks()} to avoid echoes. */
    public SendMsgResult sendMsg(SendMsgRequest request) {
        return transport.call(ImApi.SEND_MSG, request, SendMsgResult.class);
    }

    public AdminGetRoamMsgResult adminGetRoamMsg(AdminGetRoamMsgRequest request) {
        return transport.call(ImApi.ADMIN_GET_ROAM_MSG, request, AdminGetRoamMsgResult.class);
    }
}
