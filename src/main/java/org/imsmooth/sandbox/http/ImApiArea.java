package org.imsmooth.sandbox.http;

import java.util.Map;

import org.imsmooth.im.api.ImApi;

/** A group of APIs served by one class (accounts, profile, sns, ...); the controller routes by {@link ImApi}. */
public interface ImApiArea {
    Map<ImApi, ImApiHandler> handlers();
}
