package org.imsmooth.im.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds {@link BatchResult#failedItems()} for APIs that report failures twice: per item with a
 * code (ResultItem / UserProfileItem) and again as bare id lists (Fail_Account, Invalid_Account).
 * An id is listed once, with its code when IM gave one.
 */
public final class BatchFailures {

    private BatchFailures() {
    }

    @SafeVarargs
    public static <T> List<ItemFailure> collect(List<T> items, Function<T, String> id, Function<T, Integer> code,
                                                Function<T, String> info, List<String>... idOnlyLists) {
        List<ItemFailure> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        if (items != null) {
            for (T item : items) {
                Integer c = code.apply(item);
                if (c != null && c != 0 && seen.add(id.apply(item))) {
                    out.add(new ItemFailure(id.apply(item), c, info.apply(item)));
                }
            }
        }
        for (List<String> ids : idOnlyLists) {
            if (ids == null) {
                continue;
            }
            for (String failed : ids) {
                if (seen.add(failed)) {
                    out.add(new ItemFailure(failed, ItemFailure.UNKNOWN_CODE, "listed as failed without a code"));
                }
            }
        }
        return List.copyOf(out);
    }
}
