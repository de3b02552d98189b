#!/usr/bin/env bash
# A PostgreSQL cluster for the identification tests (docs/identification.md): Debian's `postgresql` package (installed
# when missing), one cluster in $IMAGEAPI_PG_DIR listening on 127.0.0.1:$IMAGEAPI_PG_PORT only, trust authentication
# (loopback, test data only). Idempotent: an installed package, an initialised cluster and a running server are
# left as they are. Prints the Npgsql connection string the tests read from IMAGEAPI_TEST_POSTGRES.
set -euo pipefail
PORT=${IMAGEAPI_PG_PORT:-55432}
DIR=${IMAGEAPI_PG_DIR:-/tmp/imageapi-pg}

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(bin_dir)" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo -n"; else
    echo "postgresql is not installed and this user cannot install it (no root, no sudo)" >&2; exit 1; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >&2
fi
BIN=$(bin_dir)

# The server refuses to run as root: as root, run it as the package's `postgres` user.
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
mkdir -p "$DIR"
[ "$(id -u)" = 0 ] && chown postgres "$DIR" && chmod 700 "$DIR"
if [ ! -f "$DIR/PG_VERSION" ]; then
  as_pg "'$BIN/initdb' -D '$DIR' -U postgres -A trust --no-sync -E UTF8" >&2
fi
if ! as_pg "'$BIN/pg_ctl' -D '$DIR' status" >/dev/null 2>&1; then
  as_pg "'$BIN/pg_ctl' -D '$DIR' -l '$DIR/server.log' -w -t 60 -o \"-h 127.0.0.1 -p $PORT -k '$DIR' -c fsync=off\" start" >&2
fi
echo "Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres"
