/** One downloadable build of the agent, as listed in dist/agent/manifest.json. */
export interface AgentFile {
  file: string;
  /** `uname -m` of the hosts it is for (x86_64, aarch64). */
  arch: string;
  kind: 'deb' | 'rpm' | 'tar';
}

/** What may appear inside single quotes in the script: checked by the caller, asserted here. */
const SAFE = /^[A-Za-z0-9._~:/[\]+-]*$/;

function q(value: string): string {
  if (!SAFE.test(value)) throw new Error(`unsafe value for the install script: ${value}`);
  return `'${value}'`;
}

/**
 * The installer behind `curl -fsSL https://server/install.sh | sh -s -- TOKEN`: POSIX sh
 * (dash, busybox ash), picks the .deb, the .rpm or the tarball for the host, verifies its
 * SHA-256 against the server's SHA256SUMS, installs it and runs `plumbline-agent install`.
 * Arguments after the token go to `plumbline-agent install` (e.g. `--ca FILE`).
 */
export function renderInstallScript({ server, version, files }: { server: string; version: string; files: AgentFile[] }): string {
  const cases = files.map((f) => `    ${q(`${f.arch}:${f.kind}`)}) echo ${q(f.file)} ;;`).join('\n');
  return `#!/bin/sh
# Plumbline agent ${version} installer, served by ${server}
# Usage: curl -fsSL ${server}/install.sh | sh -s -- ENROLLMENT_TOKEN [install options]
set -eu

SERVER=${q(server)}
BIN_DIR=\${PLUMBLINE_BIN_DIR:-/usr/local/bin}

fail() {
  echo "plumbline-agent install: $*" >&2
  exit 1
}

[ $# -ge 1 ] && [ -n "$1" ] || fail "usage: curl -fsSL $SERVER/install.sh | sh -s -- ENROLLMENT_TOKEN"
TOKEN=$1
shift
[ "$(id -u)" -eq 0 ] || fail "run it as root: curl -fsSL $SERVER/install.sh | sudo sh -s -- TOKEN"
[ "$(uname -s)" = Linux ] || fail "the agent runs on Linux only"

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
[ -n "$FILE" ] || fail "the server at $SERVER has no agent build for $ARCH (was pnpm build:agent run?)"

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
fetch "$SERVER/downloads/agent/SHA256SUMS" "$TMP/SHA256SUMS"
fetch "$SERVER/downloads/agent/$FILE" "$TMP/$FILE"
EXPECTED=$(awk -v f="$FILE" '$2 == f || $2 == "*" f { print $1 }' "$TMP/SHA256SUMS")
[ -n "$EXPECTED" ] || fail "$FILE is not listed in the server's SHA256SUMS"
ACTUAL=$(sha256_of "$TMP/$FILE")
[ "$ACTUAL" = "$EXPECTED" ] || fail "SHA-256 of $FILE is $ACTUAL, the server lists $EXPECTED: not installing it"

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

exec "$AGENT" install --server "$SERVER" --token "$TOKEN" "$@"
`;
}
