#!/usr/bin/env bash
# Converge side by side with Prosody 0.12 and ejabberd 23.01 (Debian's packages) and a bare relay,
# on this machine, with the same load, in one run. Prints a table with each figure and the ratios
# Converge/Prosody and Converge/ejabberd, and writes it into docs/benchmarks.md.
#
# Each server runs alone on its own loopback port, TLS on (one self-signed ECDSA certificate for
# all), SCRAM-SHA-256, rate limits and shapers off, the same users provisioned the same way.
# For the federation scenario each product runs as two servers, a.bench.test and b.bench.test,
# linked over server-to-server; Prosody and ejabberd find each other through a DNS responder
# (SRV records) that the load generator runs on a loopback UDP port.
# Everything this script starts is stopped when it ends (also on Ctrl-C).
#
# Parameters (environment):
#   USERS=1000 DURATION=10 WARMUP=3 WINDOW=10 BODY=100 CONCURRENCY=32 CONNECTIONS=10000 CONTACTS=20
#   SERVERS="converge prosody ejabberd"  RELAY=1 (0: no relay reference)  RELAY_TLS=1
#   SCENARIOS="connections login throughput presence durable federation sms"  (durable after the
#             others: it leaves offline messages behind; sms: Converge only, restarted with an SMSC)
#             add "cluster" (bench/cluster_scenario.sh): the throughput load against one Converge
#             node on SQLite, one on PostgreSQL, and two and three nodes of one cluster on PostgreSQL
#             with the two users of every pair on different nodes (every message crosses nodes);
#             server CPU summed over all nodes; needs Debian's postgresql.
#   RATE= (the throughput scenario's fixed-rate run offers this many msg/s; empty: half the measured peak)
#   ARCHIVE=both (Converge always archives every message, and keeps offline messages, in SQLite.
#                 Prosody and ejabberd are measured both ways in the same run: as a provider starts
#                 them, at their defaults (no archive, default offline store; columns "Prosody" and
#                 "ejabberd"), and with mod_mam and their offline store in SQLite (columns "Prosody
#                 MAM", "ejabberd MAM"). ARCHIVE=off or ARCHIVE=sqlite measures only one way)
#   PORT_BASE=35200 (TCP +22 +32 +42 +52 +62 +70..73, cluster +80..91, UDP +74)  WORK=/dev/shm/converge-bench.XXXX (kept when KEEP=1)  WRITE_DOCS=1  BUILD=1
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
USERS=${USERS:-1000}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
WINDOW=${WINDOW:-10}
BODY=${BODY:-100}
CONCURRENCY=${CONCURRENCY:-32}
CONNECTIONS=${CONNECTIONS:-10000}
CONTACTS=${CONTACTS:-20}
SERVERS=${SERVERS:-"converge prosody ejabberd"}
RELAY=${RELAY:-1}
RELAY_TLS=${RELAY_TLS:-1}
SCENARIOS=${SCENARIOS:-"connections login throughput presence durable federation sms"}
ARCHIVE=${ARCHIVE:-both}
case $ARCHIVE in both | off | sqlite) ;; *) echo "ARCHIVE must be both, off or sqlite" >&2; exit 2 ;; esac
RATE=${RATE:-}
PORT_BASE=${PORT_BASE:-35200}
WRITE_DOCS=${WRITE_DOCS:-1}
BUILD=${BUILD:-1}
KEEP=${KEEP:-0}
DOMAIN=bench.test
# federation: the two providers of each product (their users are user1..userN of both domains).
FED_A=a.bench.test
FED_B=b.bench.test
PASSWORDS='bench-{0}-pw'
# On tmpfs when there is one: no server waits for the disk. Prosody and ejabberd would fsync every
# archived message (SQLite's default synchronous=FULL), Converge does not (WAL, synchronous=NORMAL);
# on tmpfs all three commit at memory speed, so the comparison is of the servers, not of a disk.
WORK=${WORK:-$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )/converge-bench.XXXXXX")}
RESULTS=$WORK/results
BENCH="dotnet $ROOT/bench/Converge.Bench/bin/Release/net10.0/converge-bench.dll"
CONVERGE_DLL=$ROOT/src/Converge/bin/Release/net10.0/converge.dll

# .NET's thread pool spins while idle, Erlang's schedulers busy-wait: both would count as work in
# the CPU figures, and steal the shared cores from the other process. Both are switched off.
export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

declare -A PORT=([converge]=$((PORT_BASE + 22)) [prosody]=$((PORT_BASE + 32)) [ejabberd]=$((PORT_BASE + 42)) [relay]=$((PORT_BASE + 52)) [smsc]=$((PORT_BASE + 62))
    [prosody-mam]=$((PORT_BASE + 32)) [ejabberd-mam]=$((PORT_BASE + 42))
    [fed_a]=$((PORT_BASE + 70)) [fed_a_s2s]=$((PORT_BASE + 71)) [fed_b]=$((PORT_BASE + 72)) [fed_b_s2s]=$((PORT_BASE + 73))
    [pg]=$((PORT_BASE + 80)) [converge-pg]=$((PORT_BASE + 82)) [node_a]=$((PORT_BASE + 84)) [node_b]=$((PORT_BASE + 86))
    [silo_a]=$((PORT_BASE + 88)) [silo_b]=$((PORT_BASE + 89)) [node_c]=$((PORT_BASE + 90)) [silo_c]=$((PORT_BASE + 91)))
# UDP: the federation scenario's DNS responder (SRV records of FED_A and FED_B).
DNS_PORT=$((PORT_BASE + 74))
STARTED_PIDS=()
PG_STOP=()
SERVER_PID=

log() { printf '\n=== %s\n' "$*" >&2; }

cleanup() {
    local pid
    for pid in "${STARTED_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${STARTED_PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    STARTED_PIDS=()
    # The cluster scenario's PostgreSQL (started with pg_ctl, so not among STARTED_PIDS).
    if [ ${#PG_STOP[@]} -gt 0 ]; then "${PG_STOP[@]}" > /dev/null 2>&1 || true; PG_STOP=(); fi
    if [ "$KEEP" != 1 ]; then rm -rf "$WORK"; else echo "work directory kept: $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_server() {
    local pid=$1 rest=() p
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for p in "${STARTED_PIDS[@]}"; do [ "$p" = "$pid" ] || rest+=("$p"); done
    STARTED_PIDS=("${rest[@]+"${rest[@]}"}")
}

# wait_port PORT PID WHAT [DIR]: until PID listens on PORT; DIR (default $WORK/WHAT) holds its log.
wait_port() {
    local port=$1 pid=$2 what=$3 dir=${4:-$WORK/$3}
    for _ in $(seq 300); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        kill -0 "$pid" 2>/dev/null || { echo "$what exited during start-up; its log:" >&2; tail -20 "$dir/log" >&2 || true; return 1; }
        sleep 0.2
    done
    echo "$what did not open port $port in 60 s" >&2
    return 1
}

install_peers() {
    local missing=()
    command -v prosody >/dev/null || missing+=(prosody)
    dpkg -s ejabberd >/dev/null 2>&1 || missing+=(ejabberd)
    dpkg -s lua-unbound >/dev/null 2>&1 || missing+=(lua-unbound)
    if [ "$ARCHIVE" != off ]; then
        dpkg -s lua-dbi-sqlite3 >/dev/null 2>&1 || missing+=(lua-dbi-sqlite3)
        dpkg -s erlang-p1-sqlite3 >/dev/null 2>&1 || missing+=(erlang-p1-sqlite3)
    fi
    command -v openssl >/dev/null || missing+=(openssl)
    command -v python3 >/dev/null || missing+=(python3)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
        # The packages start system services on the standard ports; this run uses its own servers.
        for service in prosody ejabberd; do
            $sudo service "$service" stop >/dev/null 2>&1 || true
        done
    fi
}

build() {
    if [ "$BUILD" = 1 ]; then
        log "building Converge and the load generator (Release)"
        dotnet build "$ROOT/src/Converge" -c Release -v quiet -nologo >&2
        dotnet build "$ROOT/bench/Converge.Bench" -c Release -v quiet -nologo >&2
    fi
}

make_certificate() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
        -subj "/CN=$DOMAIN" -addext "subjectAltName=DNS:$DOMAIN,DNS:$FED_A,DNS:$FED_B" \
        -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
    chmod 644 "$WORK/key.pem"
    cat "$WORK/cert.pem" "$WORK/key.pem" > "$WORK/both.pem"
}

# An SQLite database in WAL mode (as Converge keeps its own; the mode is stored in the file, so the
# server opening it later keeps it), with the schema of $2 when given.
sqlite_wal() {
    /usr/bin/python3 - "$@" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
if len(sys.argv) > 2 and sys.argv[2]:
    db.executescript(open(sys.argv[2], encoding="utf-8").read())
db.execute("PRAGMA journal_mode=WAL")
db.commit()
db.close()
PY
}

# --- the servers: each function provisions the users, starts one server and sets SERVER_PID ---
# start_NAME [DIR DOMAIN C2S_PORT [S2S_PORT PEER_DOMAIN PEER_S2S_PORT]]: by default the single
# server of most scenarios ($WORK/NAME, $DOMAIN, PORT[NAME], no server-to-server); with a
# S2S_PORT one of the two federated providers, which lets PEER_DOMAIN in.

# With SMS=1 (the sms scenario): the same data, plus SMS interworking towards the load generator's
# SMSC stub; a separate start, so that no other scenario pays for the technology-selection step.
start_converge() {
    local dir=${1:-$WORK/converge} domain=${2:-$DOMAIN} c2s=${3:-${PORT[converge]}} s2s=${4:-} peer=${5:-} peer_s2s=${6:-}
    local sms="" federation="" server=""
    mkdir -p "$dir/data"
    if [ "${SMS:-0}" = 1 ]; then
        # No daily cap: the scenario sends tens of thousands from a thousand senders in a minute.
        sms=$',\n  "Sms": { "Smsc": "127.0.0.1:'"${PORT[smsc]}"'", "SystemId": "bench", "Window": 10, "MaxPerSenderPerDay": 0 }'
    fi
    # The sms start reuses the single server's data when it ran (SCENARIOS without it skip that start).
    if [ "${SMS:-0}" != 1 ] || [ ! -e "$dir/data/converge.db" ]; then
        $BENCH provision --target converge --path "$dir/data/converge.db" --domain "$domain" --users "$USERS" --password-pattern "$PASSWORDS" \
            --contacts "$CONTACTS" --msisdn-prefix +49151 >&2
    fi
    if [ -n "$s2s" ]; then
        # Like Prosody and ejabberd, Converge finds its peer by SRV through the load generator's responder.
        server=127.0.0.1:$s2s
        federation=$',\n  "Federation": { "Open": false, "DnsServer": "127.0.0.1:'"$DNS_PORT"$'" },\n  "Agreements": { "'"$peer"'": { "Features": [ "Messaging", "Presence" ] } }'
    fi
    cat > "$dir/converge.json" <<EOF
{
  "Domain": "$domain",
  "DataDirectory": "$dir/data",
  "Listeners": { "Client": "127.0.0.1:$c2s", "ClientDirectTls": "", "Server": "$server", "Http": "" },
  "Tls": { "CertificatePath": "$WORK/cert.pem", "KeyPath": "$WORK/key.pem" },
  "Limits": { "Client": { "MaxSessionsPerAccount": $((CONNECTIONS / USERS + 10)), "MaxOfflineMessages": 100000000, "MaxUnauthenticatedPerAddress": 0, "SubscriptionRequestsPerMinute": 0 } },
  "Logging": { "LogLevel": { "Default": "Warning" } }$sms$federation
}
EOF
    dotnet "$CONVERGE_DLL" serve --config "$dir/converge.json" >> "$dir/log" 2>&1 &
    SERVER_PID=$!
}

start_prosody() {
    local dir=${1:-$WORK/prosody} domain=${2:-$DOMAIN} c2s=${3:-${PORT[prosody]}} s2s=${4:-}
    local root="" mam="" storage="" dialback="" federation="s2s_ports = { }"
    mkdir -p "$dir/data" "$dir/certs"
    [ "$(id -u)" = 0 ] && root='run_as_root = true'
    if [ "${WITH_MAM:-0}" = 1 ]; then
        mam='; "mam"'
        storage='storage = { archive = "sql"; offline = "sql" }'
        sqlite_wal "$dir/data/prosody.sqlite"
    fi
    if [ -n "$s2s" ]; then
        dialback='; "dialback"'
        # The certificate is self-signed: links authenticate with dialback over TLS. Outgoing links
        # look up _xmpp-server._tcp.<domain> through unbound, which asks only the bench's responder
        # (without the local-zone line Prosody would answer *.test itself with NXDOMAIN).
        federation="s2s_ports = { $s2s }
s2s_secure_auth = false
s2s_require_encryption = true
unbound = {
    resolvconf = false; hoststxt = false; forward = \"127.0.0.1@$DNS_PORT\";
    options = { [\"do-not-query-localhost:\"] = \"no\"; [\"local-zone:\"] = \"test. transparent\" };
}"
    fi
    cat > "$dir/prosody.cfg.lua" <<EOF
-- Throwaway Prosody for bench/compare.sh: the modules matching what Converge does, no rate limits.
$root
pidfile = "$dir/prosody.pid"
data_path = "$dir/data"
log = { { levels = { min = "warn" }, to = "file", filename = "$dir/prosody.log" } }
network_backend = "epoll"
interfaces = { "127.0.0.1" }
c2s_ports = { $c2s }
c2s_direct_tls_ports = { }
legacy_ssl_ports = { }
$federation
http_ports = { }
https_ports = { }
modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "ping"; "blocklist"; "vcard"; "version"; "posix"$mam$dialback }
-- With mod_mam (the "-mam" variant): every message archived into SQLite, as Converge does.
default_archive_policy = true
archive_expires_after = "never"
$storage
sql = { driver = "SQLite3"; database = "$dir/data/prosody.sqlite" }
-- mod_limits is not loaded; an empty table would switch its throttles off too.
limits = { }
-- The default cache of 64 block lists reads files on every message beyond 64 users (PEERS.md).
blocklist_cache_size = $((USERS * 2))
authentication = "internal_hashed"
password_hash = "SHA-256"
c2s_require_encryption = true
allow_registration = false
certificates = "$dir/certs"
ssl = { certificate = "$WORK/cert.pem"; key = "$WORK/key.pem" }
VirtualHost "$domain"
EOF
    $BENCH provision --target prosody --path "$dir/data" --domain "$domain" --users "$USERS" --password-pattern "$PASSWORDS" \
        --contacts "$CONTACTS" >&2
    prosody --config "$dir/prosody.cfg.lua" -F > "$dir/log" 2>&1 &
    SERVER_PID=$!
}

start_ejabberd() {
    local dir=${1:-$WORK/ejabberd} domain=${2:-$DOMAIN} c2s=${3:-${PORT[ejabberd]}} s2s=${4:-}
    local mam="" sql="" offline_db="" s2s_listener="" federation="" dialback=""
    mkdir -p "$dir/db"
    if [ "${WITH_MAM:-0}" = 1 ]; then
        mam=$'  mod_mam:\n    db_type: sql\n    default: always'
        offline_db='    db_type: sql'
        sql=$'sql_type: sqlite\nsql_database: "'"$dir/ejabberd.db"'"'
        # ejabberd would create the schema itself (lite.sql) but in rollback-journal mode.
        sqlite_wal "$dir/ejabberd.db" "$(ls /usr/lib/*/ejabberd-2*/priv/sql/lite.sql 2>/dev/null | head -1)"
    fi
    if [ -n "$s2s" ]; then
        s2s_listener=$'  -\n    port: '"$s2s"$'\n    ip: "127.0.0.1"\n    module: ejabberd_s2s_in\n    shaper: none'
        # As Debian's configuration: TLS required on links; the self-signed certificate means dialback.
        federation='s2s_use_starttls: required'
        dialback='  mod_s2s_dialback: {}'
        # Its resolver asks only the bench's responder; in this order, or the name server is dropped.
        printf '{resolv_conf, ""}.\n{nameserver, {127,0,0,1}, %s}.\n' "$DNS_PORT" > "$dir/inetrc"
    fi
    cat > "$dir/ejabberd.yml" <<EOF
# Throwaway ejabberd for bench/compare.sh: the modules matching what Converge does, shapers off.
loglevel: warning
log_rotate_count: 0
hosts:
  - $domain
certfiles:
  - "$WORK/both.pem"
listen:
  -
    port: $c2s
    ip: "127.0.0.1"
    module: ejabberd_c2s
    max_stanza_size: 262144
    shaper: none
    access: c2s
    starttls_required: true
    backlog: 1024
$s2s_listener
$federation
$sql
auth_method: internal
auth_password_format: scram
auth_scram_hash: sha256
acl:
  local:
    user_regexp: ""
access_rules:
  local:
    allow: local
  c2s:
    allow: all
shaper_rules:
  max_user_sessions: 1000000
  max_user_offline_messages: 100000000
  c2s_shaper: none
  s2s_shaper: none
modules:
  mod_roster:
    versioning: true
  mod_offline:
    access_max_user_messages: max_user_offline_messages
$offline_db
  mod_privacy: {}
  mod_blocking: {}
  mod_disco: {}
  mod_ping: {}
  mod_vcard:
    search: false
  mod_version: {}
  mod_admin_extra: {}
$dialback
$mam
EOF
    local lib
    lib=$(dirname "$(ls -d /usr/lib/*/ejabberd-2* | head -1)")
    # Foreground erl (not ejabberdctl): no epmd, no user switch, and the pid is ours.
    # Users (and their rosters: the ring neighbours as "both" contacts, as the presence scenario
    # expects) are made by -eval once ejabberd is up; the marker tells this script they are.
    local half=$(( CONTACTS / 2 < (USERS - 1) / 2 ? CONTACTS / 2 : (USERS - 1) / 2 ))
    local eval="U = $USERS, H = <<\"$domain\">>, Half = $half,
        Name = fun(N) -> list_to_binary(\"user\" ++ integer_to_list(N)) end,
        [ejabberd_auth:try_register(Name(I), H, list_to_binary(\"bench-\" ++ integer_to_list(I) ++ \"-pw\")) || I <- lists:seq(1, U)],
        [mod_admin_extra:add_rosteritem(Name(I), H, Name(J), H, Name(J), <<\"bench\">>, <<\"both\">>)
            || I <- lists:seq(1, U), D <- lists:seq(-Half, Half), D =/= 0, J <- [((I - 1 + D + U) rem U) + 1]],
        io:format(\"BENCH-USERS-REGISTERED~n\")."
    local inetrc=()
    [ -n "$s2s" ] && inetrc=("ERL_INETRC=$dir/inetrc")
    env EJABBERD_CONFIG_PATH="$dir/ejabberd.yml" EJABBERD_LOG_PATH="$dir/ejabberd.log" ERL_LIBS="$lib" \
        ${inetrc[@]+"${inetrc[@]}"} ERL_MAX_PORTS=65536 ERL_CRASH_DUMP="$dir/erl_crash.dump" \
        erl -noshell -noinput +K true +P 1000000 +sbwt none +sbwtdcpu none +sbwtdio none \
            -mnesia dir "\"$dir/db\"" -ejabberd log_rotate_count 0 -s ejabberd -eval "$eval" \
            > "$dir/log" 2>&1 &
    SERVER_PID=$!
}

start_relay() {
    local dir=$WORK/relay tls=()
    mkdir -p "$dir"
    [ "$RELAY_TLS" = 1 ] && tls=(--cert "$WORK/cert.pem" --key "$WORK/key.pem")
    $BENCH relay --port "${PORT[relay]}" "${tls[@]+"${tls[@]}"}" > "$dir/log" 2>&1 &
    SERVER_PID=$!
}

# wait_ready NAME PID [PORT DIR]: the server listens (and ejabberd has registered the users).
wait_ready() {
    local name=$1 pid=$2 port=${3:-${PORT[$1]}} dir=${4:-$WORK/$1}
    wait_port "$port" "$pid" "$name" "$dir"
    if [ "${name%-mam}" = ejabberd ]; then
        for _ in $(seq 600); do
            grep -q BENCH-USERS-REGISTERED "$dir/log" && return 0
            kill -0 "$pid" 2>/dev/null || { tail -20 "$dir/log" >&2; return 1; }
            sleep 0.2
        done
        echo "ejabberd did not register the users in 120 s" >&2
        return 1
    fi
}

# run_scenario NAME PID SCENARIO [PEER_PID]: the load generator against PORT[NAME] (domain $DOMAIN),
# or with a PEER_PID against the two federated providers (FED_A, FED_B).
run_scenario() {
    local name=$1 pid=$2 scenario=$3 peer_pid=${4:-} port=${PORT[$1]} domain=$DOMAIN extra=()
    [ "$name" = relay ] && extra=(--relay --relay-tls "$([ "$RELAY_TLS" = 1 ] && echo true || echo false)")
    [ "$scenario" = sms ] && extra=(--smsc-port "${PORT[smsc]}")
    [ "$scenario" = throughput ] && [ -n "$RATE" ] && extra+=(--rate "$RATE")
    if [ -n "$peer_pid" ]; then
        port=${PORT[fed_a]} domain=$FED_A
        extra=(--peer-port "${PORT[fed_b]}" --peer-domain "$FED_B" --peer-server-pid "$peer_pid")
    fi
    log "$scenario against $name"
    if ! $BENCH --scenario "$scenario" --server-name "$name" --host 127.0.0.1 --port "$port" --domain "$domain" \
        --users "$USERS" --password-pattern "$PASSWORDS" --duration "$DURATION" --warmup "$WARMUP" --window "$WINDOW" \
        --body-size "$BODY" --concurrency "$CONCURRENCY" --connections "$CONNECTIONS" --contacts "$CONTACTS" \
        --server-pid "$pid" --json "$RESULTS/$name-$scenario.json" "${extra[@]}"; then
        echo "$scenario against $name failed" >&2
    fi
}

# Two servers of one product, FED_A and FED_B, each letting the other in; the federation scenario
# between them; both stopped.
run_federation() {
    local name=$1 pid_a pid_b
    log "starting two $name servers, $FED_A and $FED_B, linked over server-to-server"
    "start_${name%-mam}" "$WORK/$name-a" "$FED_A" "${PORT[fed_a]}" "${PORT[fed_a_s2s]}" "$FED_B" "${PORT[fed_b_s2s]}"
    pid_a=$SERVER_PID
    STARTED_PIDS+=("$pid_a")
    "start_${name%-mam}" "$WORK/$name-b" "$FED_B" "${PORT[fed_b]}" "${PORT[fed_b_s2s]}" "$FED_A" "${PORT[fed_a_s2s]}"
    pid_b=$SERVER_PID
    STARTED_PIDS+=("$pid_b")
    if wait_ready "$name" "$pid_a" "${PORT[fed_a]}" "$WORK/$name-a" && wait_ready "$name" "$pid_b" "${PORT[fed_b]}" "$WORK/$name-b"; then
        run_scenario "$name" "$pid_a" federation "$pid_b"
    fi
    stop_server "$pid_a"
    stop_server "$pid_b"
}

# shellcheck source=bench/cluster_scenario.sh
. "$ROOT/bench/cluster_scenario.sh"

versions() {
    local converge prosody ejabberd
    converge=$(cd "$ROOT" && git describe --always --dirty 2>/dev/null || echo unknown)
    prosody=$(dpkg-query -W -f='${Version}' prosody 2>/dev/null || echo unknown)
    ejabberd=$(dpkg-query -W -f='${Version}' ejabberd 2>/dev/null || echo unknown)
    echo "Converge $converge (.NET $(dotnet --version)), Prosody $prosody (Lua 5.4, epoll), ejabberd $ejabberd (Erlang/OTP $(erl -noshell -eval 'io:format("~s", [erlang:system_info(otp_release)]), halt().' 2>/dev/null || echo '?'))"
}

main() {
    ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
    if [ "$(ulimit -n)" -lt $((CONNECTIONS + 1000)) ]; then
        echo "warning: only $(ulimit -n) file descriptors; CONNECTIONS=$CONNECTIONS may fail" >&2
    fi

    # A server left over from an earlier run (or anything else) on one of our ports would take part
    # of the connections (.NET listeners set SO_REUSEPORT) and quietly falsify every figure.
    local port
    for port in $(printf '%s\n' "${PORT[@]}" | sort -u); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "error: something already listens on 127.0.0.1:$port; stop it or set PORT_BASE" >&2
            exit 1
        fi
    done

    install_peers
    build
    mkdir -p "$RESULTS"
    make_certificate
    local started; started=$(date -u '+%Y-%m-%d %H:%M UTC')

    # Scenarios against the single server of each product; sms and federation have their own starts.
    local single="" scenario
    for scenario in $SCENARIOS; do
        [ "$scenario" = sms ] || [ "$scenario" = federation ] || [ "$scenario" = cluster ] || single+=" $scenario"
    done
    if [[ " $SCENARIOS " == *" federation "* ]]; then
        $BENCH dns --port "$DNS_PORT" --srv "$FED_A=${PORT[fed_a_s2s]},$FED_B=${PORT[fed_b_s2s]}" > "$WORK/dns.log" 2>&1 &
        STARTED_PIDS+=("$!")
    fi

    # Prosody and ejabberd both ways (ARCHIVE=both): "NAME" at its defaults, "NAME-mam" archiving
    # into SQLite. Converge archives in every run.
    local runs=() product
    for product in $SERVERS; do
        case "$product:$ARCHIVE" in
            converge:*) runs+=(converge) ;;
            *:off) runs+=("$product") ;;
            *:sqlite) runs+=("$product-mam") ;;
            *:both) runs+=("$product" "$product-mam") ;;
        esac
    done

    local name pid
    for name in "${runs[@]}"; do
        WITH_MAM=0
        [ "$name" = converge ] || [ "$name" = "${name%-mam}" ] || WITH_MAM=1
        if [ -n "$single" ]; then
            log "starting $name"
            "start_${name%-mam}" "$WORK/$name"
            pid=$SERVER_PID
            STARTED_PIDS+=("$pid")
            wait_ready "$name" "$pid"
            for scenario in $single; do
                run_scenario "$name" "$pid" "$scenario"
            done
            stop_server "$pid"
        fi

        if [[ " $SCENARIOS " == *" federation "* ]]; then
            run_federation "$name"
        fi

        # SMS interworking exists only in Converge; it gets its own start with an SMSC configured.
        if [ "$name" = converge ] && [[ " $SCENARIOS " == *" sms "* ]]; then
            log "restarting converge with SMS interworking towards the load generator's SMSC stub"
            SMS=1 start_converge
            pid=$SERVER_PID
            STARTED_PIDS+=("$pid")
            wait_ready converge "$pid"
            run_scenario converge "$pid" sms
            stop_server "$pid"
        fi
    done

    if [[ " $SCENARIOS " == *" cluster "* ]] && start_postgres; then
        run_cluster
        "${PG_STOP[@]}" > /dev/null 2>&1 || true
        PG_STOP=()
    fi

    if [ "$RELAY" = 1 ] && [[ " $SCENARIOS " == *" throughput "* ]]; then
        log "starting the bare relay"
        start_relay
        pid=$SERVER_PID
        STARTED_PIDS+=("$pid")
        wait_port "${PORT[relay]}" "$pid" relay
        run_scenario relay "$pid" throughput
        stop_server "$pid"
    fi

    local machine
    machine="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/ {print $2}') GB, Linux $(uname -r)"
    local table
    table=$(/usr/bin/python3 "$ROOT/bench/compare_table.py" "$RESULTS" \
        --date "$started" --machine "$machine" --versions "$(versions)" \
        --parameters "USERS=$USERS DURATION=${DURATION}s WARMUP=${WARMUP}s WINDOW=$WINDOW BODY=$BODY CONCURRENCY=$CONCURRENCY CONNECTIONS=$CONNECTIONS CONTACTS=$CONTACTS ARCHIVE=$ARCHIVE RELAY_TLS=$RELAY_TLS")
    printf '\n%s\n' "$table"
    if [ "$WRITE_DOCS" = 1 ]; then
        /usr/bin/python3 "$ROOT/bench/compare_table.py" --replace-section "$ROOT/docs/benchmarks.md" <<< "$table"
        echo "table written into docs/benchmarks.md" >&2
    fi
}

main "$@"; exit $?
