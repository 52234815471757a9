# Start a throwaway PostgreSQL server on 127.0.0.1 at a free port, for tests.
# Source this file, then call pg_start: it sets PG_DSN and stops the server
# and removes its files when the shell exits. Works as root on a machine
# with nothing installed (it installs the server with apt-get if initdb is
# missing) and with any user that can run initdb.

pg_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

pg_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

pg_start() {
  local bin
  if ! bin=$(pg_bindir); then
    echo "PostgreSQL is missing; installing it"
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
    bin=$(pg_bindir) || { echo "could not install PostgreSQL" >&2; return 1; }
  fi
  PG_DIR=$(mktemp -d /tmp/sociocracy-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  local port
  port=$(pg_free_port)
  local run=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PG_DIR" postgres
    chown postgres "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  PG_STOP="${run[*]} $bin/pg_ctl -D $PG_DIR/data -m fast -w stop"
  trap 'pg_stop' EXIT
  echo "secret-for-tests" > "$PG_DIR/pw"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR/pw"
  "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -E UTF8 --no-locale --auth-local=trust \
    --auth-host=scram-sha-256 --pwfile="$PG_DIR/pw" --no-sync >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log"; return 1; }
  {
    echo "listen_addresses='127.0.0.1'"
    echo "port=$port"
    echo "unix_socket_directories='$PG_DIR'"
    echo "fsync=off"
    echo "max_connections=200"
  } >> "$PG_DIR/data/postgresql.conf"
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start >/dev/null \
    || { cat "$PG_DIR/server.log"; return 1; }
  "$bin/pg_isready" -h 127.0.0.1 -p "$port" -t 30 >/dev/null
  "${run[@]}" "$bin/createdb" -h "$PG_DIR" -p "$port" -U postgres sociocracy_test
  PG_DSN="postgres://postgres:secret-for-tests@127.0.0.1:$port/sociocracy_test?sslmode=disable"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (files in $PG_DIR)"
}

pg_stop() {
  local status=$?
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ]; then
    $PG_STOP >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    echo "PostgreSQL stopped and removed"
  fi
  return $status
}
