-- Export files (oldsystem.kind=files) read to their end, per import stage: the stage's cursor names the
-- file it is in; a finished file is never read again, and a file added later (any name) is still read.
CREATE TABLE export_file_read (
    stage       VARCHAR(100) NOT NULL,
    file        VARCHAR(500) NOT NULL,
    line_count  BIGINT       NOT NULL,
    finished_at TIMESTAMP    NOT NULL,
    PRIMARY KEY (stage, file)
);
