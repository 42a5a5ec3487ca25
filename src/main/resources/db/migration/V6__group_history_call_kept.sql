-- A group's row in group_history_call now stays once its calls are answered (in_flight false): it also
-- says that IM may hold earlier history of the group, which must then be read back before older
-- messages are sent (IM only appends). The id map's conversation index answered that question, at the
-- cost of one random index page per imported message; V7 drops it.
ALTER TABLE group_history_call ADD COLUMN in_flight BOOLEAN DEFAULT TRUE NOT NULL;
-- groups imported before this version: their history is in the id map
INSERT INTO group_history_call (group_id, started_at, in_flight)
    SELECT DISTINCT conversation, CURRENT_TIMESTAMP, FALSE FROM id_map
    WHERE kind = 'group-messages' AND state = 'done' AND conversation IS NOT NULL
      AND conversation NOT IN (SELECT group_id FROM group_history_call);
