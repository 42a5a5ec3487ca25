-- A held change put back on the queue keeps its row, marked released, until the sender has handled it:
-- a newer change of its conversation that the sender takes meanwhile still finds the line and waits
-- behind it (deleting the row at release let such a change overtake the released one).
ALTER TABLE sync_held_change ADD COLUMN released_at TIMESTAMP NULL;
