-- Hand-off per conversation: a conversation (a group, by its old id) whose history the import has
-- delivered, while its stage still runs on others. Written when the import's worker reaches the
-- hand-off marker the reader put in the group's ordered lane behind its last batch; read by the
-- old -> IM sender, whose live changes for that conversation then no longer wait for the whole stage.
CREATE TABLE import_hand_off (
    stage        VARCHAR(64)  NOT NULL,
    conversation VARCHAR(191) NOT NULL, -- the old system's group id (the import's order key)
    handed_at    TIMESTAMP    NOT NULL,
    CONSTRAINT pk_import_hand_off PRIMARY KEY (stage, conversation)
);
