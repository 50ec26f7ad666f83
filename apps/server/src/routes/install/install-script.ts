import type { AgentFile } from '../../install/agent-packages';

export type { AgentFile };

/** What may appear inside single quotes in the script: checked by the caller, asserted here. */
const SAFE = /^[A-Za-z0-9._~:/[\],+-]*$/;

function q(value: string): string {
  if (!SAFE.test(value)) throw new Error(`unsafe value for the install script: ${value}`);
  return `'${value}'`;
}

/**
 * The installer behind `curl -fsSL https://server/install.sh | sudo sh -s -- --fingerprint HEX`:
 * POSIX sh (dash, busybox ash). It picks the .deb, the .rpm or the tarball for the host,
 * checks the server's Ed25519 signature of SHA256SUMS against the key whose fingerprint the
 * command carries (from the dashboard), then the package's SHA-256 against that list, installs
 * it and runs `plumbline-agent install`. The enrollment token never goes on a command line
 * (where `ps` shows it): it is read from a 0600 file (--token-file) or typed when asked, and
 * handed to the agent on its stdin. Plain http is refused unless --insecure-http is given.
 * Other arguments go to `plumbline-agent install` (e.g. `--ca FILE`).
 */
/**
 * What /install.sh is while the server has no agent package to give: it says why and stops
 * (exit 1) before touching anything, so a piped `| sudo sh` fails with a sentence, not half-way.
 */
export function renderNotReadyScript({ server, reason }: { server: string; reason: string }): string {
  const text = reason.replace(/[^\x20-\x7e]/g, ' ').slice(0, 500);
  return `#!/bin/sh
# Plumbline agent installer, served by ${server}: no agent package is ready on this server yet.
cat >&2 <<'PLUMBLINE_NOT_READY'
plumbline-agent install: not installed: no agent package is ready on ${q(server).slice(1, -1)} yet.
plumbline-agent install: ${text}
plumbline-agent install: run the same command again when the dashboard's enrollment page shows the packages as ready.
PLUMBLINE_NOT_READY
exit 1
`;
}

export function renderInstallScript({ server, version, files }: { server: string; version: string; files: AgentFile[] }): string {
  const cases = files.map((f) => `    ${q(`${f.arch}:${f.kind}`)}) echo ${q(f.file)} ;;`).join('\n');
  const arches = [...new Set(files.map((f) => f.arch))].sort().join(',');
  return `#!/bin/sh
# Plumbline agent ${version} installer, served by ${server}
# Usage: curl -fsSL ${server}/install.sh | sudo sh -s -- --fingerprint KEY_FINGERPRINT [--token-file FILE] [install options]
set -eu

SERVER=${q(server)}
BIN_DIR=\${PLUMBLINE_BIN_DIR:-/usr/local/bin}

fail() {
  echo "plumbline-agent install: $*" >&2
  exit 1
}

FINGERPRINT=
TOKEN_FILE=
INSECURE_HTTP=
# Options of this script come first; the rest goes to plumbline-agent install.
while [ $# -gt 0 ]; do
  case "$1" in
    --fingerprint) [ $# -ge 2 ] || fail "--fingerprint needs a value"; FINGERPRINT=$2; shift 2 ;;
    --fingerprint=*) FINGERPRINT=\${1#--fingerprint=}; shift ;;
    --token-file) [ $# -ge 2 ] || fail "--token-file needs a file"; TOKEN_FILE=$2; shift 2 ;;
    --token-file=*) TOKEN_FILE=\${1#--token-file=}; shift ;;
    --insecure-http) INSECURE_HTTP=1; shift ;;
    --token | --token=*) fail "the token is not taken on the command line, where ps shows it: use --token-file FILE (mode 0600), or type it when asked" ;;
    ple_*) fail "the token is not taken on the command line, where ps shows it: use --token-file FILE (mode 0600), or type it when asked" ;;
    *) break ;;
  esac
done

case "$SERVER" in
  https://*) ;;
  *)
    [ -n "$INSECURE_HTTP" ] || fail "$SERVER is plain http: anyone on the path could read the token and replace what is installed. Serve Plumbline over https, or accept the risk with --insecure-http"
    echo "plumbline-agent install: warning: installing over plain http (--insecure-http)" >&2
    ;;
esac
[ -n "$FINGERPRINT" ] || fail "--fingerprint is needed: the install command in the dashboard (Settings, enrollment) carries the server key's fingerprint"
FINGERPRINT=$(printf '%s' "$FINGERPRINT" | tr 'A-F' 'a-f' | tr -d ':')
case "$FINGERPRINT" in
  *[!0-9a-f]*) fail "--fingerprint: not a SHA-256 in hex" ;;
esac
[ \${#FINGERPRINT} -eq 64 ] || fail "--fingerprint: not a SHA-256 in hex (64 digits)"
[ "$(id -u)" -eq 0 ] || fail "run it as root: curl -fsSL $SERVER/install.sh | sudo sh -s -- --fingerprint $FINGERPRINT"
[ "$(uname -s)" = Linux ] || fail "the agent runs on Linux only"
command -v openssl >/dev/null 2>&1 || fail "openssl is needed to check the package signature (apt-get install openssl, or dnf install openssl)"

if [ -n "$TOKEN_FILE" ]; then
  [ -f "$TOKEN_FILE" ] && [ ! -L "$TOKEN_FILE" ] || fail "--token-file: $TOKEN_FILE is not a regular file"
  case "$(ls -ln "$TOKEN_FILE" | cut -c5-10)" in
    ------) ;;
    *) fail "--token-file: $TOKEN_FILE may be read by others; chmod 600 it first" ;;
  esac
  TOKEN=$(head -n 1 "$TOKEN_FILE" | tr -d '\\r')
elif [ -r /dev/tty ]; then
  printf 'Enrollment token: ' >/dev/tty
  stty -echo </dev/tty 2>/dev/null || true
  IFS= read -r TOKEN </dev/tty || TOKEN=
  stty echo </dev/tty 2>/dev/null || true
  printf '\\n' >/dev/tty
else
  fail "no terminal to ask for the enrollment token: give --token-file FILE (mode 0600)"
fi
[ -n "$TOKEN" ] || fail "the enrollment token is empty"

case "$(uname -m)" in
  x86_64 | amd64) ARCH=x86_64 ;;
  aarch64 | arm64) ARCH=aarch64 ;;
  *) fail "no agent build for $(uname -m)" ;;
esac

# The file the server has for ARCH:KIND, or nothing.
build_for() {
  case "$1" in
${cases}
    *) ;;
  esac
}

KIND=tar
if command -v dpkg >/dev/null 2>&1; then
  KIND=deb
elif command -v rpm >/dev/null 2>&1; then
  KIND=rpm
fi
FILE=$(build_for "$ARCH:$KIND")
if [ -z "$FILE" ]; then
  KIND=tar
  FILE=$(build_for "$ARCH:tar")
fi
[ -n "$FILE" ] || fail "the server at $SERVER has agent ${q(version).slice(1, -1)} for ${q(arches).slice(1, -1)} only, not for $ARCH: build it there with PLUMBLINE_AGENT_ARCHES=x86_64,aarch64 pnpm build:agent"

fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    fail "curl or wget is needed to download the agent"
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | awk '{ print $1 }'
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | awk '{ print $1 }'
  else
    fail "sha256sum or shasum is needed to verify the download"
  fi
}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM

echo "plumbline-agent install: downloading $FILE from $SERVER"
fetch "$SERVER/downloads/agent/signing-key.pem" "$TMP/signing-key.pem"
fetch "$SERVER/downloads/agent/SHA256SUMS" "$TMP/SHA256SUMS"
fetch "$SERVER/downloads/agent/SHA256SUMS.sig" "$TMP/SHA256SUMS.sig"
fetch "$SERVER/downloads/agent/$FILE" "$TMP/$FILE"
# The key must be the one the install command names; then it must have signed the list.
KEY_FP=$(openssl pkey -pubin -in "$TMP/signing-key.pem" -outform DER 2>/dev/null | sha256_of /dev/stdin)
[ "$KEY_FP" = "$FINGERPRINT" ] || fail "the server's signing key has fingerprint $KEY_FP, the install command names $FINGERPRINT: not installing"
openssl pkeyutl -verify -pubin -inkey "$TMP/signing-key.pem" -rawin -in "$TMP/SHA256SUMS" -sigfile "$TMP/SHA256SUMS.sig" >/dev/null 2>&1 ||
  fail "SHA256SUMS is not signed by the key $FINGERPRINT: not installing"
EXPECTED=$(awk -v f="$FILE" '$2 == f || $2 == "*" f { print $1 }' "$TMP/SHA256SUMS")
[ -n "$EXPECTED" ] || fail "$FILE is not listed in the server's SHA256SUMS"
ACTUAL=$(sha256_of "$TMP/$FILE")
[ "$ACTUAL" = "$EXPECTED" ] || fail "SHA-256 of $FILE is $ACTUAL, the signed list has $EXPECTED: not installing it"

case "$KIND" in
  deb)
    dpkg -i "$TMP/$FILE" || { apt-get install -f -y && dpkg -i "$TMP/$FILE"; } || fail "dpkg could not install $FILE"
    AGENT=/usr/bin/plumbline-agent
    ;;
  rpm)
    rpm -U --replacepkgs "$TMP/$FILE" || fail "rpm could not install $FILE"
    AGENT=/usr/bin/plumbline-agent
    ;;
  tar)
    tar -xzf "$TMP/$FILE" -C "$TMP"
    mkdir -p "$BIN_DIR"
    AGENT=$BIN_DIR/plumbline-agent
    cp "$TMP"/plumbline-agent-*/plumbline-agent "$AGENT.new"
    chmod 0755 "$AGENT.new"
    mv -f "$AGENT.new" "$AGENT"
    ;;
esac

echo "plumbline-agent install: installed $FILE ($KIND package, agent ${q(version).slice(1, -1)}) as $AGENT"
# printf is a shell builtin: the token goes through a pipe, never through an argv.
printf '%s\\n' "$TOKEN" | "$AGENT" install --server "$SERVER" --token-stdin "$@"
echo "plumbline-agent install: done. The agent runs as the systemd service plumbline-agent and reports to $SERVER."
echo "plumbline-agent install: check it with: systemctl status plumbline-agent (logs: journalctl -u plumbline-agent)"
echo "plumbline-agent install: this host, $(hostname 2>/dev/null || uname -n), appears in the dashboard's Hosts list within a minute: $SERVER/hosts"
`;
}
