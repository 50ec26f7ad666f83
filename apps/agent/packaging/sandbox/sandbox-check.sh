#!/usr/bin/env bash
# Collects the facts of this host twice, unrestricted and under the restrictions of
# plumbline-agent.service that can be reproduced without systemd as PID 1, and compares them.
# Run as root from the repository root:
#   apps/agent/packaging/sandbox/sandbox-check.sh [AGENT COMMAND...]   (default: the built bundle)
# Reproduced: CapabilityBoundingSet= and NoNewPrivileges= (setpriv), ProtectSystem=strict with
# the state and cache directories writable, ProtectHome=read-only, PrivateTmp= (a mount
# namespace), MemoryDenyWriteExecute=, SystemCallFilter=, RestrictAddressFamilies= (seccomp).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[[ $(id -u) == 0 ]] || { echo "run as root" >&2; exit 2; }
agent=("$@")
((${#agent[@]})) || agent=(node "$here/../../dist/cli.js")
caps=${PLUMBLINE_CAPS-+dac_read_search,+sys_ptrace,+net_admin}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
env_vars=(MALLOC_ARENA_MAX=2 UV_THREADPOOL_SIZE=2 "NODE_OPTIONS=--max-semi-space-size=1 --jitless" PLUMBLINE_CACHE_DIR=/var/cache/plumbline)

env "${env_vars[@]}" "${agent[@]}" facts >"$out/free.json" 2>"$out/free.log"

# Inside a new mount namespace: every mount read-only (ProtectSystem=strict, ProtectHome=
# read-only), then the writable paths bound over themselves, and a private /tmp.
mkdir -p /var/lib/plumbline /var/cache/plumbline
unshare --mount --propagation private -- bash -c '
  set -e
  awk "{ print \$2 }" /proc/self/mounts | sort -u | while read -r m; do
    case "$m" in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*) continue ;; esac
    mount -o remount,bind,ro "$m" 2>/dev/null || true
  done
  for d in /var/lib/plumbline /var/cache/plumbline; do mount --bind "$d" "$d"; done
  mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
  exec "$@"' sandbox \
  setpriv --bounding-set "-all${caps:+,$caps}" --inh-caps -all --no-new-privs -- \
  env "${env_vars[@]}" /usr/bin/python3 "$here/sandbox-exec.py" "@system-service" "@privileged @resources" "AF_UNIX AF_INET AF_INET6 AF_NETLINK" -- \
  "${agent[@]}" facts >"$out/boxed.json" 2>"$out/boxed.log" || { echo "the agent failed in the sandbox:"; tail "$out/boxed.log"; exit 1; }

node "$here/compare-facts.mjs" "$out/free.json" "$out/boxed.json"
