-- The id map tells the truth about entities that ended: a group disbanded (on either side) or a
-- membership that ended is no longer 'live'. Lookups that decide whether to send, skip or route a
-- change read only live rows, so an old id that comes back (the old app's next room reusing MAX(id)+1
-- after a disband) is a new entity, not "already in IM". Portable SQL (H2, PostgreSQL, MySQL/MariaDB).
ALTER TABLE id_map ADD COLUMN lifecycle VARCHAR(16) DEFAULT 'live' NOT NULL; -- live, disbanded, left

-- Rows of ended entities whose old id came back: the id_map row (unique on both sides' ids, kind +
-- old_id and kind + im_id) now maps the new entity; the ended one is kept here, as it was.
CREATE TABLE id_map_retired (
    kind         VARCHAR(32)  NOT NULL,
    old_id       VARCHAR(191) NOT NULL,
    im_id        VARCHAR(191),
    origin       VARCHAR(8)   NOT NULL,
    lifecycle    VARCHAR(16)  NOT NULL, -- what ended it: disbanded, left
    conversation VARCHAR(191),
    created_at   TIMESTAMP    NOT NULL,
    ended_at     TIMESTAMP    NOT NULL, -- when the entity ended (the id_map row's last update)
    retired_at   TIMESTAMP    NOT NULL  -- when its old id was given to a new entity
);
CREATE INDEX ix_id_map_retired ON id_map_retired (kind, old_id);
