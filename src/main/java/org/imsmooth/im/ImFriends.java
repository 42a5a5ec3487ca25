package org.imsmooth.im;

import org.imsmooth.im.api.ImApi;
import org.imsmooth.im.api.sns.FriendGetRequest;
import org.imsmooth.im.api.sns.FriendGetResult;
import org.imsmooth.im.api.sns.FriendImportRequest;
import org.imsmooth.im.api.sns.FriendImportResult;

/** Relationship chain (v4/sns). Bean {@code imFriends}. */
public class ImFriends {

    private final ImTransport transport;

    public ImFriends(ImTransport transport) {
        this.transport = transport;
    }

    /** One user's friends; failed peers (ResultItem, Fail_Account, Invalid_Account) are in {@code failedItems()}. */
    public FriendImportResult friendImport(FriendImportRequest request) {
        return transport.call(ImApi.FRIEND_IMPORT, request, FriendImportResult.class);
    }

    /** One page; call again with NextStartIndex while {@code complete()} is false. */
    public FriendGetResult friendGet(FriendGetRequest request) {
        return transport.call(ImApi.FRIEND_GET, request, FriendGetResult.class);
    }
}
