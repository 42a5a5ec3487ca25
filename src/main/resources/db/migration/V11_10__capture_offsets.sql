-- Log-based change capture (Debezium): where each capture has read the old database's log to, and (MySQL)
-- the history of the captured tables' structure, in the state database so that a restart or another
-- instance resumes exactly there. Portable SQL (H2, PostgreSQL, MySQL).
CREATE TABLE capture_offset (
    capture      VARCHAR(191)  NOT NULL, -- log-capture.name
    offset_key   VARCHAR(500)  NOT NULL, -- Debezium's partition key (Base64); with capture, within MySQL's 3072-byte key
    offset_value VARCHAR(4000),          -- the position in the log (Base64)
    CONSTRAINT pk_capture_offset PRIMARY KEY (capture, offset_key)
);

-- One Debezium history record per seq, cut into parts of up to 4000 characters.
CREATE TABLE capture_schema_history (
    capture VARCHAR(191)  NOT NULL,
    seq     BIGINT        NOT NULL,
    part    INT           NOT NULL,
    data    VARCHAR(4000) NOT NULL,
    CONSTRAINT pk_capture_schema_history PRIMARY KEY (capture, seq, part)
);
