# pg_server.sh: sourced by the PostgreSQL tests: start a throwaway PostgreSQL server (initdb into a
# temp dir, trust auth, socket in that dir, TCP on 127.0.0.1 only) and set PGURI; stopped on exit.
# Exits 77 (skip) with a message when PostgreSQL or PostGIS is not installed.
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "SKIP: PostgreSQL server not installed (Debian package postgresql; scripts/setup.sh)"; exit 77
fi
PGVER=$(basename "$(dirname "$PGBIN")")
if ! ls /usr/share/postgresql/$PGVER/extension/postgis.control >/dev/null 2>&1; then
  echo "SKIP: PostGIS not installed (Debian package postgresql-$PGVER-postgis-3; scripts/setup.sh)"; exit 77
fi
PGDIR=$(mktemp -d /tmp/cs-pg.XXXXXX)
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "SKIP: running as root and no 'postgres' user to run the server"; exit 77; }
  chown postgres "$PGDIR"
fi
pg_stop() { as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$PGDIR"; }
trap pg_stop EXIT
as_pg "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U cs --no-sync > "$PGDIR/initdb.log" 2>&1 ||
  { cat "$PGDIR/initdb.log"; echo "FAIL: initdb"; exit 1; }
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDIR -c fsync=off -c max_connections=50" start >/dev/null ||
  { cat "$PGDIR/server.log"; echo "FAIL: PostgreSQL did not start"; exit 1; }
PGURI="postgresql://cs@127.0.0.1:$PGPORT/postgres"
psql_q() { "$PGBIN/psql" -X -q -t -A "$PGURI" -c "$1"; }
