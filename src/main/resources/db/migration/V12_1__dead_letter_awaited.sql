-- The record a dead letter waited for: a record rejected because a record it depends on (its group,
-- owner, sender, member, user) was not imported yet names that record here (its kind and old id).
-- Null for every other outcome. When the awaited record is in IM at reconciliation time, the dead
-- letter was a fault of the service (a stage declared done too early), not invalid data, and the
-- verdict cannot balance until it is replayed: a query, not a guess from the reason's text.
ALTER TABLE id_map ADD COLUMN awaited_kind VARCHAR(32);
ALTER TABLE id_map ADD COLUMN awaited_old_id VARCHAR(191);
