-- The import's rate over time (the status page's chart), one point per progress interval: kept here so
-- the chart shows the whole run after a restart, and the same run on every instance. bucket = the
-- point's time / the interval: the first instance to sample an interval keeps its point.
CREATE TABLE rate_history (
    bucket     BIGINT        NOT NULL PRIMARY KEY,
    at_millis  BIGINT        NOT NULL,
    rates      VARCHAR(4000) NOT NULL
);
