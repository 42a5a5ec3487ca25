package org.imsmooth.sandbox.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Serves one REST API: returns the full reply (envelope + fields) or throws {@link ImApiException}. */
@FunctionalInterface
public interface ImApiHandler {
    ObjectNode handle(ImRequest request);
}
