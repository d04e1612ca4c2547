# Sourced by `parley.sh test`: makes sure the test suite has a PostgreSQL server, Redis and chromium.
# - PostgreSQL: TEST_DATABASE_URL if set; else the local server on 127.0.0.1:5432 (trust auth);
#   else a private throw-away cluster (initdb + pg_ctl, trust auth, port 54329) under /tmp,
#   installing Debian's postgresql package first when the binaries are missing and we are root.
# - Redis: redis-server is needed on PATH (tests start private ones to stop and restart them);
#   the local server on 127.0.0.1:6379 is started when none listens (TEST_REDIS_URL points at it).
#   Debian's redis-server package is installed when missing and we are root.
# - chromium: Debian's package at /usr/bin/chromium, installed when missing and we are root.
#   Browser tests never download a browser.

apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "parley: $* is missing and cannot be installed here (needs root and apt-get)." >&2
    return 1
  fi
  echo "parley: installing $* with apt-get" >&2
  if [ -z "${PARLEY_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    PARLEY_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

pg_answers() { # url
  node -e '
    const { Socket } = require("node:net");
    const url = new URL(process.argv[1]);
    const s = new Socket();
    s.setTimeout(2000, () => process.exit(1));
    s.once("error", () => process.exit(1));
    s.connect(Number(url.port || 5432), url.hostname, () => process.exit(0));
  ' "$1"
}

pg_bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

start_private_cluster() {
  local bin dir port=54329
  bin="$(pg_bin_dir)"
  if [ -z "$bin" ]; then
    apt_install postgresql postgresql-client || return 1
    bin="$(pg_bin_dir)"
  fi
  dir="/tmp/parley-test-pg"
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    as_pg "$bin/initdb" -D "$dir" -U postgres -A trust --no-sync >/dev/null
  fi
  as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
    -o "-p $port -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300 -k /tmp" \
    status >/dev/null 2>&1 ||
    as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
      -o "-p $port -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300 -k /tmp" \
      start >/dev/null
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "parley: tests use a private PostgreSQL cluster at 127.0.0.1:$port" >&2
}

# initdb and pg_ctl refuse to run as root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_postgres() {
  if [ -n "${TEST_DATABASE_URL:-}" ]; then return 0; fi
  local url="postgres://postgres@127.0.0.1:5432/postgres"
  if ! pg_answers "$url" && command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start >&2 || true
  fi
  if pg_answers "$url" && command -v psql >/dev/null 2>&1 && psql "$url" -tAc "select 1" >/dev/null 2>&1; then
    export TEST_DATABASE_URL="$url"
    return 0
  fi
  start_private_cluster
}

ensure_redis() {
  if ! command -v redis-server >/dev/null 2>&1; then
    apt_install redis-server || return 1
  fi
  if ! port_answers 6379; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    for _ in $(seq 1 50); do port_answers 6379 && break; sleep 0.1; done
  fi
  export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
}

port_answers() { # port
  node -e '
    const s = new (require("node:net").Socket)();
    s.setTimeout(1000, () => process.exit(1));
    s.once("error", () => process.exit(1));
    s.connect(Number(process.argv[1]), "127.0.0.1", () => process.exit(0));
  ' "$1"
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  apt_install chromium fonts-liberation
}

ensure_postgres
ensure_redis
ensure_chromium
