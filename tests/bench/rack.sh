#!/bin/bash
# A rack against one web server: N simulated nodes (tests/bench/bench-rack.c,
# the installer's own answer and payload code) fetch their per-node answer
# (POST to ironpass.answer=…/{mac-dashes}.toml) and the payload at once from
# Debian's nginx, started here on 127.0.0.1 with the configuration that
# docs/pxe.md gives ("bench: nginx-rack" block; paths under a temporary
# directory, pid, logs and temp files there too). Then the same through the
# caching proxy of docs/pxe.md ("bench: nginx-cache") in front of it. Prints
# failures, p50/p99 time per node, bytes nginx sent (its access log's
# $bytes_sent, summed); checks the dnsmasq block with dnsmasq --test.
#   BENCH_RACK_NODES     nodes (default 50; at most 1000)
#   BENCH_RACK_PAYLOAD   a payload directory (manifest.json, base.tar.zst, pool/)
#                        to serve, e.g. cache/standin-pool (270 MB: N copies are
#                        written to disk at once). Default: a small one made here
#                        from the stand-in pool's pool/ plus a base.tar.zst of
#                        BENCH_RACK_BASE_MIB (default 32) MiB of random data
#   BENCH_RACK_PROXY=0   skip the caching proxy run
#   BENCH_RACK_FIXTURE   the machine the nodes are (default the dual-socket server)
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
bin=$BUILD/bench/bench-rack
nodes=${BENCH_RACK_NODES:-50}
fixture=${BENCH_RACK_FIXTURE:-tests/fixtures/dual-socket-server}
doc=docs/pxe.md

[ -x "$bin" ] || { echo "skipped: no $bin (make bench builds it)"; exit 0; }
command -v nginx >/dev/null || { echo "skipped: nginx is not installed (make deps)"; exit 0; }
[ -d "$fixture" ] || { echo "skipped: no fixture '$fixture'"; exit 0; }

work=$(mktemp -d /tmp/ironpass-bench-rack.XXXXXX)
chmod 755 "$work"	# nginx's workers (not root) read the tree under it
pids=()
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
status=0

# block NAME: the fenced block after the "<!-- bench: NAME" marker in docs/pxe.md
block() {
	awk -v m="<!-- bench: $1 " 'index($0, m) == 1 {f = 1; next}
		f && /^```/ {if (b) exit; b = 1; next} f && b' "$doc"
}

# ---- what the server holds -----------------------------------------------
srv=$work/srv/ironpass
mkdir -p "$srv/pxe/http" "$srv/answers/nodes" "$work/nodes"
if [ -n "${BENCH_RACK_PAYLOAD:-}" ]; then
	[ -f "$BENCH_RACK_PAYLOAD/manifest.json" ] ||
		{ echo "no manifest.json in '$BENCH_RACK_PAYLOAD'"; exit 1; }
	ln -s "$(cd "$BENCH_RACK_PAYLOAD" && pwd)" "$srv/pxe/http/payload"
	what="$BENCH_RACK_PAYLOAD"
else
	p=$srv/pxe/http/payload
	mkdir -p "$p/base"
	head -c "$((${BENCH_RACK_BASE_MIB:-32} << 20))" /dev/urandom >"$p/base/random.bin"
	tar -C "$p/base" -cf - . | zstd -q -1 -o "$p/base.tar.zst" ||
		{ echo "cannot make base.tar.zst"; exit 1; }
	rm -rf "$p/base"
	if [ -d cache/standin-pool/pool ]; then
		cp -r cache/standin-pool/pool "$p/pool"
		what="made here: base.tar.zst of ${BENCH_RACK_BASE_MIB:-32} MiB random data + the stand-in pool's pool/"
	else
		what="made here: base.tar.zst of ${BENCH_RACK_BASE_MIB:-32} MiB random data (no stand-in pool)"
	fi
	"$bin" manifest "$p" || exit 1
fi
files=$(grep -c '"path"' "$srv/pxe/http/payload/manifest.json")
size=$(awk -F'[:,]' '/"size"/ {s += $2} END {printf "%d", s}' "$srv/pxe/http/payload/manifest.json")
echo "payload: $what"
echo "         $files files, $size bytes ($((size >> 20)) MiB) + manifest.json"

# ---- nginx ---------------------------------------------------------------
# start_nginx NAME SITE-FILE: a private nginx (Debian's defaults where they matter)
# including SITE-FILE; sets $port, appends to pids
start_nginx() {
	local name=$1 site=$2 d=$work/$1 try
	mkdir -p "$d"
	cat >"$d/nginx.conf" <<-EOF
	worker_processes auto;
	pid $d/nginx.pid;
	error_log $d/error.log;
	daemon off;
	events { worker_connections 768; }
	http {
		include /etc/nginx/mime.types;
		default_type application/octet-stream;
		sendfile on;
		tcp_nopush on;
		keepalive_timeout 65;
		log_format bench '\$request_method \$status \$bytes_sent \$body_bytes_sent \$uri';
		access_log $d/access.log bench;
		client_body_temp_path $d/body;
		proxy_temp_path $d/proxy;
		fastcgi_temp_path $d/fastcgi;
		uwsgi_temp_path $d/uwsgi;
		scgi_temp_path $d/scgi;
		include $d/site.conf;
	}
	EOF
	for try in 1 2 3 4 5; do
		port=$("$bin" port) || return 1
		sed -e "s#^\([[:space:]]*\)listen 80;#\1listen 127.0.0.1:$port;#" \
			-e "s#/srv/ironpass#$work/srv/ironpass#g" \
			-e "s#/var/cache/nginx/ironpass#$d/cache#g" \
			-e "s#http://192.0.2.10#http://127.0.0.1:${origin_port:-0}#g" "$site" >"$d/site.conf"
		nice nginx -c "$d/nginx.conf" -e "$d/error.log" >"$d/stderr" 2>&1 &
		local pid=$!
		for _ in $(seq 50); do
			(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { pids+=("$pid"); return 0; }
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
		grep -q 'Address already in use' "$d/error.log" "$d/stderr" 2>/dev/null || break
	done
	echo "nginx ($name) did not start:"; cat "$d/stderr" "$d/error.log" 2>/dev/null | tail -n 5
	return 1
}

# sent NAME: requests, their statuses and the bytes nginx NAME sent (headers included)
sent() {
	awk '{n++; b += $3; s[$2]++} END {
		printf "%d requests (", n; sep = ""
		for (k in s) {printf "%s%d × %s", sep, s[k], k; sep = ", "}
		printf "), %d bytes sent (%.1f MiB)\n", b, b / 1048576}' "$work/$1/access.log"
}

block nginx-rack >"$work/nginx-rack.conf"
block nginx-cache >"$work/nginx-cache.conf"
[ -s "$work/nginx-rack.conf" ] || { echo "no 'bench: nginx-rack' block in $doc"; exit 1; }
nginx -v 2>&1 | sed 's/^/server: /'
start_nginx origin "$work/nginx-rack.conf" || exit 1
origin_port=$port

# run NAME PORT: the nodes against the server on PORT
run() {
	local base=http://127.0.0.1:$2
	"$bin" run "$fixture" "$base/answers/nodes/{mac-dashes}.toml" "$base/ironpass/payload/" \
		"$srv/answers" "$work/nodes" "$nodes" || status=1
}

echo
echo "-- one nginx (docs/pxe.md 'nginx-rack'), 127.0.0.1:$origin_port"
run origin "$origin_port"
echo "server bytes sent:                 $(sent origin)"

if [ "${BENCH_RACK_PROXY:-1}" = 1 ] && [ -s "$work/nginx-cache.conf" ]; then
	: >"$work/origin/access.log"
	kill -USR1 "$(cat "$work/origin/nginx.pid")"	# reopen the log
	sleep 0.2
	if start_nginx cache "$work/nginx-cache.conf"; then
		echo
		echo "-- the same through a caching proxy (docs/pxe.md 'nginx-cache'), cold cache"
		run cache "$port"
		echo "proxy bytes sent to the nodes:     $(sent cache)"
		echo "origin bytes sent to the proxy:    $(sent origin)"
	else
		status=1
	fi
fi

echo
if command -v dnsmasq >/dev/null; then
	block dnsmasq-rack >"$work/dnsmasq.conf"
	if dnsmasq --test -C "$work/dnsmasq.conf" >"$work/dnsmasq.out" 2>&1; then
		echo "dnsmasq block of $doc: $(cat "$work/dnsmasq.out")"
	else
		echo "dnsmasq block of $doc fails its check: $(cat "$work/dnsmasq.out")"; status=1
	fi
else
	echo "dnsmasq block: not checked (dnsmasq is not installed: make deps)"
fi
exit $status
