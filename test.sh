#!/usr/bin/env bash
# Builds XSystem in Release, runs every test project, packs every package, smoke-tests the `xsys`
# tool from the local packages, and ends with one line: "Tests: N passed, N failed, N skipped".
#
# Works on a fresh clone and a fresh machine: as root it installs the Debian packages the tests
# need (apt-get update once, then apt-get install -y what is missing).
#
# Environment:
#   XSYSTEM_SOAK=1        also run tests marked [Trait("Category", "Soak")] (bounded)
#   XSYSTEM_SKIP_INSTALL=1  never call apt-get
#   XSYSTEM_TEST_FILTER   extra arguments for every test run, e.g. "--filter-class *AtomicFile*"
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$(pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# --- 1. Machine prerequisites -------------------------------------------------------------
# Debian packages later modules and the tests need: command -> package.
declare -A NEEDED=(
  [tmux]=tmux                 # Terminal: drives xsys in a real pseudo-terminal
  [redis-server]=redis-server # Caching.Redis, Ipc: private redis-server per test run
)
install_prerequisites() {
  local missing=()
  for cmd in "${!NEEDED[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("${NEEDED[$cmd]}")
  done
  # Security's interop tests (the direction where Python checks our output) need Python's cryptography package.
  if ! python3 -c "import cryptography" >/dev/null 2>&1; then
    command -v python3 >/dev/null 2>&1 || missing+=(python3)
    missing+=(python3-cryptography)
  fi
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  if [ "${XSYSTEM_SKIP_INSTALL:-0}" = "1" ]; then
    echo "test.sh: missing ${missing[*]}; XSYSTEM_SKIP_INSTALL=1, tests that need them will skip" >&2
    return 0
  fi
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: missing ${missing[*]} and cannot install them (needs root and apt-get); tests that need them will skip" >&2
    return 0
  fi
  echo "test.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || echo "test.sh: apt-get update failed" >&2
  apt-get install -y -qq "${missing[@]}" >/dev/null || echo "test.sh: apt-get install ${missing[*]} failed" >&2
}
install_prerequisites

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK (dotnet) is not on PATH; install .NET SDK 10.0" >&2
  echo "Tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

# --- 2. Build -----------------------------------------------------------------------------
RESULTS="$ROOT/artifacts/test-results"
rm -rf "$RESULTS" "$ROOT/artifacts/packages"
mkdir -p "$RESULTS"

echo "test.sh: building (Release)"
if ! dotnet build XSystem.slnx -c Release -nologo -v quiet -clp:ErrorsOnly; then
  echo "test.sh: build failed" >&2
  echo "Tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

# --- 3. Test ------------------------------------------------------------------------------
passed=0; failed=0; skipped=0; broken=0
filter_args=()
if [ "${XSYSTEM_SOAK:-0}" != "1" ]; then
  filter_args+=(--filter-not-trait "Category=Soak")
fi
# shellcheck disable=SC2206
extra_args=(${XSYSTEM_TEST_FILTER:-})

for proj in tests/*/*.Tests.csproj; do
  name="$(basename "$proj" .csproj)"
  echo "test.sh: running $name"
  dotnet test --project "$proj" -c Release --no-build --no-progress \
    --results-directory "$RESULTS" --report-xunit-trx --report-xunit-trx-filename "$name.trx" \
    "${filter_args[@]}" "${extra_args[@]}" >"$RESULTS/$name.log" 2>&1
  rc=$?
  trx="$RESULTS/$name.trx"
  if [ -f "$trx" ]; then
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n1)"
    get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
    p="$(get passed)"; f="$(get failed)"; er="$(get error)"; t="$(get total)"; e="$(get executed)"
    f=$(( ${f:-0} + ${er:-0} ))
    p=${p:-0}; f=${f:-0}; t=${t:-0}; e=${e:-$t}
    s=$(( t - e ))
    [ "$s" -lt 0 ] && s=0
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    echo "test.sh: $name: $p passed, $f failed, $s skipped (exit $rc)"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
      # The runner failed for a reason the counters do not show (crash, zero tests, timeout).
      broken=$((broken + 1))
      tail -n 40 "$RESULTS/$name.log" >&2
    elif [ "$f" -ne 0 ]; then
      grep -E -A12 '^\s*failed ' "$RESULTS/$name.log" | head -n 200 >&2
    fi
  else
    echo "test.sh: $name produced no results (exit $rc)" >&2
    tail -n 40 "$RESULTS/$name.log" >&2
    broken=$((broken + 1))
  fi
done

# --- 4. Pack and smoke-test the tool ------------------------------------------------------
echo "test.sh: packing"
if dotnet pack XSystem.slnx -c Release --no-build -nologo -v quiet -o "$ROOT/artifacts/packages" >"$RESULTS/pack.log" 2>&1; then
  tooldir="$(mktemp -d)"
  if dotnet tool install XSystem.Cli --tool-path "$tooldir" --add-source "$ROOT/artifacts/packages" \
       --version "$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n1)" >"$RESULTS/tool.log" 2>&1 \
     && version_out="$("$tooldir/xsys" --version 2>&1)"; then
    echo "test.sh: xsys --version -> $version_out"
    passed=$((passed + 1))
  else
    echo "test.sh: installing or running the xsys tool package failed" >&2
    cat "$RESULTS/tool.log" >&2
    failed=$((failed + 1))
  fi
  rm -rf "$tooldir"
else
  echo "test.sh: dotnet pack failed" >&2
  tail -n 40 "$RESULTS/pack.log" >&2
  failed=$((failed + 1))
fi

failed=$((failed + broken))
echo "Tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
