package org.imsmooth.im;

import org.imsmooth.im.api.ImApi;
import org.imsmooth.im.api.ImEnvelope;
import org.imsmooth.im.api.profile.PortraitGetRequest;
import org.imsmooth.im.api.profile.PortraitGetResult;
import org.imsmooth.im.api.profile.PortraitSetRequest;

/** User profiles (v4/profile). Bean {@code imProfiles}. */
public class ImProfiles {

    private final ImTransport transport;

    public ImProfiles(ImTransport transport) {
        this.transport = transport;
    }

    public ImEnvelope portraitSet(PortraitSetRequest request) {
        return transport.call(ImApi.PORTRAIT_SET, request);
    }

    /** Read-back for reconciliation; per-user ResultCodes are in {@code failedItems()}. */
    public PortraitGetResult portraitGet(PortraitGetRequest request) {
        return transport.call(ImApi.PORTRAIT_GET, request, PortraitGetResult.class);
    }
}
