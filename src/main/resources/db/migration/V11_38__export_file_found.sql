-- Export files (oldsystem.kind=files) the export's file consumer found, per import stage: a file is
-- listed here once it is complete (Camel's changed read lock) and is then read by its stage exactly
-- once (export_file_read marks it read to its end). Shared by every instance; survives a restart.
CREATE TABLE export_file_found (
    stage    VARCHAR(100) NOT NULL,
    file     VARCHAR(500) NOT NULL,
    found_at TIMESTAMP    NOT NULL,
    PRIMARY KEY (stage, file)
);
