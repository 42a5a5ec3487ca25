package org.imsmooth.sync.toim;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.imsmooth.canonical.ConversationKey;
import org.imsmooth.pipeline.HandOffMarkers;
import org.imsmooth.pipeline.ImportOrchestrator;
import org.imsmooth.state.ImportHandOffs;
import org.imsmooth.state.StageProgress;
import org.springframework.stereotype.Component;

/**
 * Gap-free hand-off between the historical import and live sync. While the import stage of a kind
 * is not done, a live change of that kind waits: the import may still send the same record (it
 * reads until the end of the table), and IM's import_group_msg refuses a message older than the
 * group's newest one, so a live group message must not reach a group before its history. Once the
 * stage is done, the id map says exactly which records the import delivered.
 */
@Component
public class ImportHandOff {

    private final StageProgress progress;
    private final SyncToImProperties properties;
    /** Stages seen done: "done" is final, so every later change skips the lookup (a cache of the database, not state). */
    private final Set<String> seenDone = ConcurrentHashMap.newKeySet();

    private final ImportHandOffs handOffs;

    private final HandOffMarkers markers;

    public ImportHandOff(StageProgress progress, SyncToImProperties properties, ImportHandOffs handOffs, HandOffMarkers markers) {
        this.progress = progress;
        this.properties = properties;
        this.handOffs = handOffs;
        this.markers = markers;
    }

    /**
     * True while this live change must wait: its stage runs and its conversation's history is not yet
     * delivered. Group changes are handed off per group (pipeline/HandOffMarkers: the import reads group
     * history group by group); 1:1 changes per conversation when the 1:1 history is read conversation by
     * conversation ({@code order: conversation}), else (time order) they wait for the stage.
     */
    public boolean mustWait(String stage, OldSystemChange change) {
        if (!mustWait(stage)) {
            return false;
        }
        return !handedOff(stage, change);
    }

    /** True when the import has handed off the change's conversation (group, or 1:1 pair of old ids; final once true). */
    public boolean handedOff(String stage, OldSystemChange change) {
        if (change.isGroupChange()) {
            return change.groupId() != null && handOffs.handedOff(stage, change.groupId());
        }
        // the import's key of the conversation: both old user ids sorted (C2cMessageRecord.conversation)
        return change.fromId() != null && change.toId() != null && markers.perConversation(stage)
                && handOffs.handedOff(stage, ConversationKey.of(change.fromId(), change.toId()));
    }

    /** True while live changes for this stage must wait (a failed stage no longer holds anything back). */
    public boolean mustWait(String stage) {
        if (!properties.awaitImport() || seenDone.contains(stage)) {
            return false;
        }
        String state = progress.stateOf(stage);
        if (ImportOrchestrator.DONE.equals(state) || ImportOrchestrator.FAILED.equals(state)) {
            seenDone.add(stage);
            return false;
        }
        return true;
    }
}
