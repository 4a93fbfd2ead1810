# The cluster scenario of compare.sh (sourced by it): Converge on PostgreSQL, alone and as two nodes
# of one cluster. Uses compare.sh's PORT, WORK, RESULTS, BENCH, CONVERGE_DLL, run_scenario, wait_port,
# stop_server and log.

# A throwaway PostgreSQL in $WORK/pg on PORT[pg] (as the postgres user when we are root: initdb
# refuses root), trust authentication on loopback; sets PG_CONNECTION and PG_STOP.
start_postgres() {
    local bin dir=$WORK/pg as=()
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -n "$bin" ] || { echo "cluster: Debian's postgresql is not installed" >&2; return 1; }
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$dir"
        as=(runuser -u postgres --)
    fi
    "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync > "$dir/initdb.log" 2>&1
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
        -o "-p ${PORT[pg]} -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start > /dev/null
    "${as[@]}" "$bin/psql" -h 127.0.0.1 -p "${PORT[pg]}" -U postgres -qc "CREATE DATABASE converge_bench" > /dev/null
    PG_CONNECTION="Host=127.0.0.1;Port=${PORT[pg]};Username=postgres;Database=converge_bench;Maximum Pool Size=50"
    PG_STOP=("${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop)
}

# converge_config FILE DATA_DIR C2S_PORT STORAGE_JSON [CLUSTER_JSON]: one node's configuration.
converge_config() {
    local file=$1 data=$2 c2s=$3 storage=$4 cluster=${5:-}
    local cluster_line=""
    [ -n "$cluster" ] && cluster_line="\"Cluster\": $cluster,"
    mkdir -p "$data"
    cat > "$file" <<EOF
{
  "Domain": "$DOMAIN",
  "DataDirectory": "$data",
  "Listeners": { "Client": "127.0.0.1:$c2s", "ClientDirectTls": "", "Server": "", "Http": "" },
  "Tls": { "CertificatePath": "$WORK/cert.pem", "KeyPath": "$WORK/key.pem" },
  "Storage": $storage,
  $cluster_line
  "Limits": { "Client": { "MaxSessionsPerAccount": $((CONNECTIONS / USERS + 10)), "MaxOfflineMessages": 100000000, "MaxUnauthenticatedPerAddress": 0, "SubscriptionRequestsPerMinute": 0 } },
  "Logging": { "LogLevel": { "Default": "Warning" } }
}
EOF
}

# The users are provisioned into SQLite as for the single server, then moved to PostgreSQL with
# `converge storage migrate`, as an operator would. Then one node on PostgreSQL (throughput, to set
# against the SQLite figures of the main run), then two nodes (the federation scenario's load against
# one domain: the odd users log in on node b, so messages between pairs cross nodes).
run_cluster() {
    local dir=$WORK/cluster pid pid_a pid_b
    local pg='{ "Provider": "Postgres", "ConnectionString": "'"$PG_CONNECTION"'" }'
    mkdir -p "$dir/sqlite/data"
    $BENCH provision --target converge --path "$dir/sqlite/data/converge.db" --domain "$DOMAIN" --users "$USERS" \
        --password-pattern "$PASSWORDS" --contacts "$CONTACTS" --msisdn-prefix +49151 >&2
    converge_config "$dir/sqlite.json" "$dir/sqlite/data" "${PORT[converge-pg]}" '{ "Provider": "Sqlite" }'
    converge_config "$dir/pg.json" "$dir/pg/data" "${PORT[converge-pg]}" "$pg"
    log "moving the users to PostgreSQL with converge storage migrate"
    dotnet "$CONVERGE_DLL" storage migrate --from-config "$dir/sqlite.json" --to-config "$dir/pg.json" >&2

    log "starting converge alone on PostgreSQL"
    dotnet "$CONVERGE_DLL" serve --config "$dir/pg.json" >> "$dir/pg.log" 2>&1 &
    pid=$!
    STARTED_PIDS+=("$pid")
    if wait_port "${PORT[converge-pg]}" "$pid" converge-pg; then
        run_scenario converge-pg "$pid" throughput
    fi
    stop_server "$pid"

    log "starting two converge nodes of one cluster on PostgreSQL"
    converge_config "$dir/a.json" "$dir/a/data" "${PORT[node_a]}" "$pg" \
        '{ "Enabled": true, "NodeName": "a", "SiloPort": '"${PORT[silo_a]}"', "Address": "127.0.0.1" }'
    converge_config "$dir/b.json" "$dir/b/data" "${PORT[node_b]}" "$pg" \
        '{ "Enabled": true, "NodeName": "b", "SiloPort": '"${PORT[silo_b]}"', "Address": "127.0.0.1" }'
    dotnet "$CONVERGE_DLL" serve --config "$dir/a.json" >> "$dir/a.log" 2>&1 &
    pid_a=$!
    STARTED_PIDS+=("$pid_a")
    dotnet "$CONVERGE_DLL" serve --config "$dir/b.json" >> "$dir/b.log" 2>&1 &
    pid_b=$!
    STARTED_PIDS+=("$pid_b")
    if wait_port "${PORT[node_a]}" "$pid_a" cluster-a && wait_port "${PORT[node_b]}" "$pid_b" cluster-b; then
        # The nodes must see each other before the users log in (event 5000 in each log).
        local waited=0
        until grep -q "Cluster node b is active" "$dir/a.log" && grep -q "Cluster node a is active" "$dir/b.log"; do
            sleep 1
            waited=$((waited + 1))
            [ "$waited" -lt 60 ] || { echo "cluster: the nodes did not see each other within 60 s" >&2; break; }
        done
        dotnet "$CONVERGE_DLL" cluster status --config "$dir/a.json" >&2
        log "federation load against the two nodes (users 2k+1 on node b): messages cross nodes"
        if ! $BENCH --scenario federation --server-name converge-cluster2 --host 127.0.0.1 --port "${PORT[node_a]}" --domain "$DOMAIN" \
            --users "$USERS" --password-pattern "$PASSWORDS" --duration "$DURATION" --warmup "$WARMUP" --window "$WINDOW" \
            --body-size "$BODY" --concurrency "$CONCURRENCY" --contacts "$CONTACTS" \
            --server-pid "$pid_a" --peer-port "${PORT[node_b]}" --peer-domain "$DOMAIN" --peer-server-pid "$pid_b" \
            --json "$RESULTS/converge-cluster2-federation.json"; then
            echo "cluster scenario failed" >&2
        fi
    fi
    stop_server "$pid_a"
    stop_server "$pid_b"
}
