#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `. .ci/postgres.sh` (sourced) installs Debian's
# postgresql package when missing, makes a cluster in a temporary folder as an unprivileged user
# (root cannot run postgres), starts it on a loopback port, exports CSPRCLI_TEST_POSTGRES (a URL with
# a password: the tests check it is never printed) and stops it and removes the folder on exit.
pg_say() { echo "ci: $*" >&2; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    pg_say "installing postgresql from Debian's packages"
    pg_root=()
    [ "$(id -u)" -eq 0 ] || pg_root=(sudo)
    "${pg_root[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${pg_root[@]}" apt-get install -y -qq --no-install-recommends postgresql
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
pg_dir=$(mktemp -d /tmp/csprcli-pg.XXXXXX)
pg_as=()
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$pg_dir"
    pg_as=(runuser -u postgres --)
fi
pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_password="ci-$(python3 -c 'import secrets; print(secrets.token_hex(8))')"
echo "$pg_password" > "$pg_dir/pw"
[ "$(id -u)" -ne 0 ] || chown postgres "$pg_dir/pw"
"${pg_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U csprcli_ci --pwfile="$pg_dir/pw" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 \
    || { cat "$pg_dir/initdb.log" >&2; exit 1; }
rm -f "$pg_dir/pw"
"${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c max_connections=200" start >/dev/null \
    || { cat "$pg_dir/server.log" >&2; exit 1; }
pg_stop() { "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$pg_dir"; }
trap pg_stop EXIT
export CSPRCLI_TEST_POSTGRES="postgresql://csprcli_ci:$pg_password@127.0.0.1:$pg_port/postgres"
export PATH="$PATH:$pg_bin"  # pg_dump, psql
pg_say "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$pg_port (stopped at the end)"
