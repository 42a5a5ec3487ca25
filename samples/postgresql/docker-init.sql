-- PostgreSQL init script for samples/postgresql/docker-compose.yml: the sample's database.
CREATE DATABASE chatapp;
\connect chatapp
\i /samples/postgresql/schema.sql
\i /samples/postgresql/seed.sql
