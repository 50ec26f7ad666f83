#!/usr/bin/env bash
# The whole test suite, as CI runs it: build, lint, typecheck, the migration check, unit
# and integration tests on the embedded database and on PostgreSQL, and the browser tests.
# Without a PostgreSQL server or Chromium, those legs are skipped with a warning locally
# and fail under CI (CI=true).
set -uo pipefail
cd "$(dirname "$0")/.."
export PLUMBLINE_TEST_PG_URL=${PLUMBLINE_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432}
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
failed_steps=()
skipped_steps=()

step() { # NAME COMMAND...
  local name=$1; shift
  echo "==> $name"
  local t0=$SECONDS
  if "$@"; then echo "<== $name ok ($((SECONDS - t0)) s)"; else echo "<== $name FAILED"; failed_steps+=("$name"); fi
}
unavailable() { # NAME REASON
  if [[ ${CI:-} == true ]]; then echo "FAIL  $1: $2"; failed_steps+=("$1"); else echo "SKIP  $1: $2"; skipped_steps+=("$1"); fi
}

step build pnpm -s build
step lint pnpm -s lint
step format pnpm -s format:check
step typecheck pnpm -s typecheck
step "migration check" pnpm -s db:migration:check
step "tests (embedded PGlite)" pnpm exec vitest run --reporter=default --reporter=json --outputFile="$results/pglite.json"
pg_reachable() { # from apps/server, where the pg driver resolves
  (cd apps/server && node -e '
    const c = new (require("pg").Client)({ connectionString: process.argv[1] + "/postgres", connectionTimeoutMillis: 3000 });
    c.connect().then(() => c.end()).catch(() => process.exit(1));' "$PLUMBLINE_TEST_PG_URL")
}
if pg_reachable; then
  step "tests (PostgreSQL)" env PLUMBLINE_TEST_DATABASE=postgres pnpm exec vitest run apps/server --reporter=default --reporter=json --outputFile="$results/postgres.json"
else
  unavailable "tests (PostgreSQL)" "no PostgreSQL server at $PLUMBLINE_TEST_PG_URL"
fi
if [[ -x ${PLUMBLINE_CHROMIUM:-/usr/bin/chromium} ]]; then
  step "browser tests (Playwright)" env PLAYWRIGHT_JSON_OUTPUT_NAME="$results/e2e.json" pnpm -s test:e2e
else
  unavailable "browser tests (Playwright)" "no Chromium at ${PLUMBLINE_CHROMIUM:-/usr/bin/chromium} (apt-get install -y chromium)"
fi

# One closing line with the number of tests, over every runner.
node -e '
  const fs = require("fs"), path = require("path");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(path.join(process.argv[1], f), "utf8"));
    if (r.numPassedTests !== undefined) { passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests ?? 0); }
    else if (r.stats) { passed += r.stats.expected; failed += r.stats.unexpected + (r.stats.flaky ?? 0); skipped += r.stats.skipped; }
  }
  console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);' "$results"
if ((${#skipped_steps[@]})); then echo "skipped steps: ${skipped_steps[*]}"; fi
if ((${#failed_steps[@]})); then echo "failed steps: ${failed_steps[*]}"; exit 1; fi
echo "all steps passed"
