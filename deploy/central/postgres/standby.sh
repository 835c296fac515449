#!/bin/sh
# The read replica of the sample layout: a hot standby of db, made once by pg_basebackup
# (-R: it keeps streaming from db), then started read-only. The analysts' export reads it
# (TD_CENTRAL_EXPORT_DATABASE_URL); while it is down or being made, the export reads db.
set -eu
if [ ! -s "${PGDATA}/PG_VERSION" ]; then
  until pg_basebackup -h db -U "${POSTGRES_USER}" -D "${PGDATA}" -R -X stream -c fast; do
    echo "standby: db not ready for a base backup, trying again" >&2
    rm -rf "${PGDATA:?}"/*
    sleep 5
  done
  chmod 0700 "${PGDATA}"
fi
exec postgres -c hot_standby=on -c max_connections=200
