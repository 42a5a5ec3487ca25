package org.imsmooth.sandbox.domain;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.springframework.stereotype.Component;

/**
 * Striped per-group locks: a group's seq allocation and membership changes are serialized, different
 * groups proceed in parallel.
 */
@Component
@ConditionalOnSandbox
public class GroupLocks {

    private final ReentrantLock[] stripes = new ReentrantLock[256];

    public GroupLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    public <T> T with(String groupId, Supplier<T> work) {
        ReentrantLock lock = stripes[Math.floorMod(groupId.hashCode(), stripes.length)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
