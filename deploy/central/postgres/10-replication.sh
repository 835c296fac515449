#!/bin/sh
# Run once by the postgres image when it creates the primary's cluster: the standby
# (db-replica) streams the WAL from here, as the database user, over the compose network.
set -eu
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "${PGDATA}/pg_hba.conf"
