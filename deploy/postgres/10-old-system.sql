-- Runs once, when the postgres container starts on an empty volume (docker-entrypoint-initdb.d):
-- the old system's database with the reference schema. The service fills it with demo data on its
-- first start (OLD_SYSTEM_DEMO=true); the service's own state lives in the database "imstate".
CREATE DATABASE oldsystem;
\connect oldsystem
\i /old-system/reference-schema.sql
-- marks the database as the demo's: the service writes demo data only into an empty database or one
-- that carries this table (README "Security model")
CREATE TABLE imsmooth_demo (note VARCHAR(100));
