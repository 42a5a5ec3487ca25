package org.imsmooth.sync.toold;

import java.util.Map;

/**
 * One configured write into the old system: the write kind (a key of {@code sync.im-to-old.jdbc} /
 * {@code .http}) and its named parameters (column-like names: sender_id, group_id, im_ref...).
 */
public record OldSystemWrite(String kind, Map<String, Object> params) {
}
