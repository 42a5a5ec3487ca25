-- Operator controls, shared by every instance and kept across restarts.

-- A paused import stage: its reader holds between pages and its worker routes are suspended on
-- every instance (each polls this table). No row, or paused = false, means the stage runs.
CREATE TABLE stage_control (
    stage      VARCHAR(64)  NOT NULL,
    paused     BOOLEAN      NOT NULL,
    changed_by VARCHAR(191) NOT NULL, -- the operator (basic-auth user) who last changed it
    changed_at TIMESTAMP    NOT NULL,
    CONSTRAINT pk_stage_control PRIMARY KEY (stage)
);
