#!/usr/bin/env bash
# docker/check.sh - catches drift between docker/ and what CI proves, without a Docker engine.
#
#   1. the build stage runs `.ci/deps build` (its packages and the static h2o), before any cmake
#   2. the build stage runs .ci/serve's cmake commands, verbatim
#   3. the runtime stage's packages are Debian packages (when apt knows any), and every shared
#      library the awsemu binary links or opens (libzip) comes from one of them, one of their
#      dependencies, or the base image (needs the binary: $AWSEMU_BIN, else build/awsemu)
#   4. the Lambda runtime packages suggested for LAMBDA_RUNTIMES are ones .ci/deps installs
#   5. docker-compose.yml waits for service_healthy, points the app at awsemu:4566, and uses the
#      binary's own probe; the Dockerfile has the pieces issue 2 asks for
#   6. the probe (awsemu --healthcheck, with the image's AWSEMU_HOST=0.0.0.0) passes against a
#      running awsemu and fails when nothing listens (needs the binary)
# Prints one line per check and closes with "N passed, N failed"; exits non-zero on a failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dockerfile=$here/Dockerfile
compose=$here/docker-compose.yml
bin=${AWSEMU_BIN:-$root/build/awsemu}
passed=0
failed=0

ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
skip() { echo "skip $*"; }
sorted() { tr ' ' '\n' | grep -v '^$' | sort -u | tr '\n' ' ' | sed 's/ $//'; }

# The words of a bash array assignment `name=(a b c)` in .ci/deps.
ci_array() { sed -n "s/^$1=(\(.*\))/\1/p" "$root/.ci/deps" | sorted; }

# The packages of the apt-get install in the runtime stage of the Dockerfile, without options
# and build-arg references.
runtime_pkgs() {
  awk '
    /^FROM / { stage++ }
    stage == 2 && /apt-get install/ { grab = 1; sub(/.*apt-get install/, "") }
    grab {
      if ($0 ~ /^[ \t]*&&/) { grab = 0; next }
      line = $0; cont = (line ~ /\\[ \t]*$/); sub(/\\[ \t]*$/, "", line)
      n = split(line, w, /[ \t]+/)
      for (i = 1; i <= n; i++) if (w[i] ~ /^[a-z0-9][a-z0-9.+-]*$/) print w[i]
      if (!cont) grab = 0
    }' "$dockerfile" | sorted
}

# 1. the build stage's dependencies are .ci/deps' own
deps_line=$(awk '/^FROM /{stage++} stage == 1 && /^RUN .*bash \.ci\/deps build/ {print NR; exit}' "$dockerfile")
cmake_line=$(awk '/^FROM /{stage++} stage == 1 && /cmake -S/ {print NR; exit}' "$dockerfile")
if [ -n "$deps_line" ] && [ -n "$cmake_line" ] && [ "$deps_line" -lt "$cmake_line" ]; then
  ok "build stage runs '.ci/deps build' before cmake ($(ci_array build_pkgs), static h2o)"
else
  bad "build stage does not run 'bash .ci/deps build' before its cmake commands"
fi

# 2. cmake commands
n=0
while IFS= read -r cmd; do
  n=$((n + 1))
  if grep -Fq -- "$cmd" "$dockerfile"; then
    ok "Dockerfile runs .ci/serve's: $cmd"
  else
    bad "Dockerfile lacks .ci/serve's command: $cmd"
  fi
done < <(grep -E '^[[:space:]]*cmake ' "$root/.ci/serve" | sed 's/^[[:space:]]*//')
[ "$n" -gt 0 ] || bad ".ci/serve has no cmake command to compare with"

# 3. runtime packages
df_run=$(runtime_pkgs)
if [ -z "$df_run" ]; then
  bad "runtime stage installs no packages"
elif ! command -v apt-cache >/dev/null || [ -z "$(apt-cache show libc6 2>/dev/null | head -1)" ]; then
  skip "runtime package names: apt has no package lists here"
else
  unknown=""
  for p in $df_run; do apt-cache show "$p" >/dev/null 2>&1 || unknown="$unknown $p"; done
  if [ -z "$unknown" ]; then ok "runtime packages are Debian packages ($df_run)"; else bad "unknown runtime packages:$unknown"; fi
fi
if [ ! -x "$bin" ]; then
  skip "runtime libraries: no awsemu binary at $bin (set AWSEMU_BIN)"
elif ! command -v dpkg-query >/dev/null; then
  skip "runtime libraries: no dpkg here"
else
  # debian:bookworm-slim already has these (Priority: required)
  allowed=" libc6 zlib1g libgcc-s1 "
  for p in $df_run; do
    allowed="$allowed$p "
    deps=$(dpkg-query -W -f='${Depends}' "$p" 2>/dev/null | tr ',|' '\n\n' | sed 's/(.*//; s/:any//; s/[[:space:]]//g')
    for d in $deps; do allowed="$allowed$d "; done
  done
  missing=""
  while read -r lib; do
    owner=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -1 | cut -d: -f1)
    [ -z "$owner" ] && owner=$(dpkg -S "$lib" 2>/dev/null | head -1 | cut -d: -f1)
    case "$allowed" in *" $owner "*) ;; *) missing="$missing $(basename "$lib")(${owner:-no package})" ;; esac
  done < <(ldd "$bin" | awk '/=> \// { print $3 }'; ldconfig -p | awk '$1 == "libzip.so.4" { print $NF; exit }')
  if [ -z "$missing" ]; then
    ok "every library awsemu links comes from the runtime stage's packages or the base image"
  else
    bad "libraries awsemu links that the runtime stage does not install:$missing"
  fi
fi

# 4. Lambda runtime suggestions
ci_test=" $(ci_array test_pkgs) "
suggested=$(grep -ho 'LAMBDA_RUNTIMES[=:] *"[^"]*"' "$dockerfile" "$compose" | sed 's/.*"\(.*\)"/\1/' | sorted)
bad_rt=""
for p in $suggested; do case "$ci_test" in *" $p "*) ;; *) bad_rt="$bad_rt $p" ;; esac; done
if [ -z "$suggested" ]; then
  bad "no LAMBDA_RUNTIMES example in the Dockerfile or compose file"
elif [ -z "$bad_rt" ]; then
  ok "suggested Lambda runtime packages ($suggested) are installed by '.ci/deps test' too"
else
  bad "suggested Lambda runtime packages not in .ci/deps test_pkgs:$bad_rt"
fi

# 5. the pieces of issue 2, item 12
need() { # file, fixed string, what
  if grep -Fq -- "$2" "$1"; then ok "$3"; else bad "$3 (no '$2' in $(basename "$1"))"; fi
}
need "$dockerfile" "FROM debian:bookworm-slim AS build" "multi-stage build on debian:bookworm-slim"
need "$dockerfile" "USER awsemu" "runs as the non-root user awsemu"
need "$dockerfile" "VOLUME /data" "/data is a volume"
need "$dockerfile" "EXPOSE 4566" "exposes 4566"
need "$dockerfile" "AWSEMU_HOST=0.0.0.0" "listens on all addresses in the container"
need "$dockerfile" "HEALTHCHECK" "has a HEALTHCHECK"
need "$dockerfile" 'CMD ["/usr/local/bin/awsemu", "--healthcheck"]' "HEALTHCHECK is the binary's own probe"
need "$compose" "condition: service_healthy" "compose: the app waits for service_healthy"
need "$compose" "AWS_ENDPOINT_URL: http://awsemu:4566" "compose: the app's endpoint is awsemu:4566"
need "$compose" 'test: ["CMD", "/usr/local/bin/awsemu", "--healthcheck"]' "compose: health check is the binary's own probe"
if grep -v '^[[:space:]]*#' "$dockerfile" | grep -Eq 'curl|wget'; then bad "Dockerfile mentions curl/wget"; else ok "no curl or wget in the image"; fi

# 6. the probe against a real awsemu
if [ ! -x "$bin" ]; then
  skip "health probe: no awsemu binary at $bin (set AWSEMU_BIN)"
else
  data=$(mktemp -d)
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
         echo $(((RANDOM % 20000) + 30000)))
  log=$data/awsemu.log
  "$bin" --host 127.0.0.1 --port "$port" --data-dir "$data" --in-memory >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do grep -q '^Ready\.$' "$log" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  if AWSEMU_HOST=0.0.0.0 AWSEMU_PORT=$port "$bin" --healthcheck; then ok "health probe passes against a running awsemu"; else bad "health probe failed against awsemu on port $port: $(tail -3 "$log")"; fi
  kill -TERM "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if AWSEMU_HOST=0.0.0.0 AWSEMU_PORT=$port "$bin" --healthcheck 2>/dev/null; then bad "health probe passes with nothing listening"; else ok "health probe fails when nothing listens"; fi
  rm -rf "$data"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
