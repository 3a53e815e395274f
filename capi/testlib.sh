# Shared by capi/ci.sh and capi/readme-check.sh (sourced, not run): test certificates, an
# `openssl s_server` on 127.0.0.1, and a fresh virtual L610 per program.
# Needs: $work (a temporary directory), $target (cargo's output directory with l610-sim).
# Sets: L610_TLS_PORT, L610_CA, L610_CLIENT_CERT, L610_CLIENT_KEY; L610_PTY per program.

server_pid=""
sim_pid=""
testlib_cleanup() {
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    wait 2>/dev/null || true
}

# Certificates (CA, server for 127.0.0.1, client) and s_server -www on a port the kernel picks.
start_tls_server() {
    local pki="$work/pki"
    mkdir -p "$pki"
    (
        cd "$pki"
        ec="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
        # shellcheck disable=SC2086
        openssl req -x509 $ec -keyout ca.key -out ca.pem -days 30 -subj /CN=l610-test-ca 2>/dev/null
        # shellcheck disable=SC2086
        openssl req $ec -keyout server.key -out server.csr -subj /CN=127.0.0.1 2>/dev/null
        printf 'subjectAltName=IP:127.0.0.1\n' > server.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
            -extfile server.ext -out server.pem 2>/dev/null
        # shellcheck disable=SC2086
        openssl req $ec -keyout client.key -out client.csr -subj /CN=l610-client 2>/dev/null
        openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
            -out client.pem 2>/dev/null
    )
    # Port 0: the kernel picks a free port, which s_server prints as "ACCEPT 127.0.0.1:<port>".
    # Created before the background process opens it, so the polling below never misses it.
    : > "$work/server.out"
    openssl s_server -accept 127.0.0.1:0 -cert "$pki/server.pem" -key "$pki/server.key" -www \
        < /dev/null > "$work/server.out" 2>&1 &
    server_pid=$!
    local port=""
    for _ in $(seq 100); do
        port="$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$work/server.out")"
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { echo "capi: s_server did not start:"; cat "$work/server.out"; exit 1; }
    export L610_TLS_PORT="$port" L610_CA="$pki/ca.pem"
    export L610_CLIENT_CERT="$pki/client.pem" L610_CLIENT_KEY="$pki/client.key"
}

# Each program gets a fresh virtual module (files loaded on it cannot be deleted).
start_sim() {
    : > "$work/sim.out"
    "$target/l610-sim" > "$work/sim.out" 2>&1 &
    sim_pid=$!
    L610_PTY=""
    for _ in $(seq 100); do
        L610_PTY="$(sed -n 's/^pty: //p' "$work/sim.out")"
        [ -n "$L610_PTY" ] && break
        sleep 0.1
    done
    [ -n "$L610_PTY" ] || { echo "capi: l610-sim did not start:"; cat "$work/sim.out"; exit 1; }
    export L610_PTY
}
stop_sim() {
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
    sim_pid=""
}
# run NAME CMD...: run against a fresh module (an argument @PTY@ becomes its path).
run() {
    local name="$1"
    shift
    start_sim
    echo "-- $name"
    local args=() a rc=0
    for a in "$@"; do
        if [ "$a" = "@PTY@" ]; then args+=("$L610_PTY"); else args+=("$a"); fi
    done
    "${args[@]}" || rc=$?
    stop_sim
    if [ "$rc" != 0 ]; then
        echo "capi: $name failed (exit $rc)"
        exit 1
    fi
}
# run_client NAME CMD...: a tls_client-style program (PORT_PATH HOST PORT CA_FILE) against a
# fresh module and s_server; it must print the server's HTTP reply.
run_client() {
    local name="$1"
    shift
    run "$name" "$@" @PTY@ 127.0.0.1 "$L610_TLS_PORT" "$L610_CA" > "$work/reply.txt"
    grep -q '^HTTP/1.0 200' "$work/reply.txt" || { echo "capi: $name printed no HTTP reply"; exit 1; }
}
