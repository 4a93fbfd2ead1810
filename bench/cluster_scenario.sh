# The cluster scenario of compare.sh (sourced by it): Converge alone on SQLite and on PostgreSQL, and
# as two and three nodes of one cluster on PostgreSQL. Uses compare.sh's PORT, WORK, RESULTS, BENCH, CONVERGE_DLL, run_scenario, wait_port,
# stop_server and log.

# A throwaway PostgreSQL in $WORK/pg on PORT[pg] (as the postgres user when we are root: initdb
# refuses root), trust authentication on loopback; sets PG_CONNECTION and PG_STOP.
start_postgres() {
    local bin dir=$WORK/pg as=()
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -n "$bin" ] || { echo "cluster: Debian's postgresql is not installed" >&2; return 1; }
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        # mktemp made $WORK 0700 for root: the postgres user must be able to reach its own directory.
        chmod 0755 "$WORK"
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
    local cluster_line="" cluster_log=""
    # Event 5000 ("Cluster node X is active", Information) tells run_cluster_nodes the nodes see each other.
    [ -n "$cluster" ] && cluster_line="\"Cluster\": $cluster," cluster_log=', "Converge.Cluster": "Information"'
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
  "Logging": { "LogLevel": { "Default": "Warning"$cluster_log } }
}
EOF
}

# The users are provisioned into SQLite as for the single server, then moved to PostgreSQL with
# `converge storage migrate`, as an operator would. Then the throughput load against one node on
# SQLite, one node on PostgreSQL, and two and three nodes of one cluster on PostgreSQL; in a cluster
# pair k logs in on nodes k and k+1 (mod N), so every message crosses nodes. Server CPU is the sum
# of all node processes. Results: cluster-sqlite1, cluster-pg1, cluster-pg2, cluster-pg3.
run_cluster() {
    local dir=$WORK/cluster pid
    local pg='{ "Provider": "Postgres", "ConnectionString": "'"$PG_CONNECTION"'" }'
    mkdir -p "$dir/sqlite/data"
    $BENCH provision --target converge --path "$dir/sqlite/data/converge.db" --domain "$DOMAIN" --users "$USERS" \
        --password-pattern "$PASSWORDS" --contacts "$CONTACTS" --msisdn-prefix +49151 >&2
    converge_config "$dir/sqlite.json" "$dir/sqlite/data" "${PORT[converge-pg]}" '{ "Provider": "Sqlite" }'
    converge_config "$dir/pg.json" "$dir/pg/data" "${PORT[converge-pg]}" "$pg"
    log "moving the users to PostgreSQL with converge storage migrate"
    dotnet "$CONVERGE_DLL" storage migrate --from-config "$dir/sqlite.json" --to-config "$dir/pg.json" >&2

    local name config
    for name in sqlite1 pg1; do
        config=$dir/pg.json
        [ "$name" = sqlite1 ] && config=$dir/sqlite.json
        log "starting converge alone on ${name%1}"
        dotnet "$CONVERGE_DLL" serve --config "$config" >> "$dir/$name.log" 2>&1 &
        pid=$!
        STARTED_PIDS+=("$pid")
        if wait_port "${PORT[converge-pg]}" "$pid" "cluster-$name"; then
            run_cluster_load "cluster-$name" "${PORT[converge-pg]}" "$pid"
        fi
        stop_server "$pid"
    done

    run_cluster_nodes "$dir" "$pg" a b
    run_cluster_nodes "$dir" "$pg" a b c
}

# run_cluster_nodes DIR STORAGE_JSON NODE...: starts the named nodes (PORT[node_X], PORT[silo_X]) of
# one cluster, waits until each has seen every other (event 5000), runs the load, stops them.
run_cluster_nodes() {
    local dir=$1 pg=$2 node other ports="" pids="" ready=1
    shift 2
    local nodes=("$@") name="cluster-pg$#"
    log "starting ${#nodes[@]} converge nodes of one cluster on PostgreSQL"
    for node in "${nodes[@]}"; do
        converge_config "$dir/$node.json" "$dir/$node/data" "${PORT[node_$node]}" "$pg" \
            '{ "Enabled": true, "NodeName": "'"$node"'", "SiloPort": '"${PORT[silo_$node]}"', "Address": "127.0.0.1" }'
        : > "$dir/$name-$node.log"
        dotnet "$CONVERGE_DLL" serve --config "$dir/$node.json" >> "$dir/$name-$node.log" 2>&1 &
        STARTED_PIDS+=("$!")
        pids+=${pids:+,}$!
        ports+=${ports:+,}${PORT[node_$node]}
    done
    local -a pid_list
    IFS=, read -ra pid_list <<< "$pids"
    local i=0
    for node in "${nodes[@]}"; do
        wait_port "${PORT[node_$node]}" "${pid_list[$i]}" "$name-$node" || ready=0
        i=$((i + 1))
    done
    if [ "$ready" = 1 ]; then
        local waited=0
        for node in "${nodes[@]}"; do
            for other in "${nodes[@]}"; do
                [ "$node" = "$other" ] && continue
                until grep -q "Cluster node $other is active" "$dir/$name-$node.log"; do
                    sleep 1
                    waited=$((waited + 1))
                    [ "$waited" -lt 90 ] || { echo "cluster: node $node did not see $other within 90 s" >&2; ready=0; break 3; }
                done
            done
        done
    fi
    if [ "$ready" = 1 ]; then
        dotnet "$CONVERGE_DLL" cluster status --config "$dir/a.json" >&2
        run_cluster_load "$name" "$ports" "$pids"
    fi
    for pid in "${pid_list[@]}"; do
        stop_server "$pid"
    done
}

# run_cluster_load NAME PORTS PIDS: the throughput load (delivered msg/s, p99, server CPU per message)
# against one server or the comma-separated nodes of one cluster.
run_cluster_load() {
    local name=$1 ports=$2 pids=$3 extra=()
    [ -n "$RATE" ] && extra+=(--rate "$RATE")
    log "throughput against $name"
    if ! $BENCH --scenario throughput --server-name "$name" --host 127.0.0.1 --port "${ports%%,*}" --ports "$ports" \
        --server-pids "$pids" --domain "$DOMAIN" --users "$USERS" --password-pattern "$PASSWORDS" \
        --duration "$DURATION" --warmup "$WARMUP" --window "$WINDOW" --body-size "$BODY" --concurrency "$CONCURRENCY" \
        --json "$RESULTS/$name-throughput.json" "${extra[@]+"${extra[@]}"}"; then
        echo "throughput against $name failed" >&2
    fi
}
