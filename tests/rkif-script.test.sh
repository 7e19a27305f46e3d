#!/usr/bin/env bash
# Checks the `rkif` script's stamp check and per-command JIT choice (docs/performance.md, "CLI start-up") without a
# real build: the script is copied into a scratch repository layout, and a fake `dotnet` first on PATH records each
# call ("build" or "run <args> TC=<DOTNET_TieredCompilation>") and writes the dll a build would.
# Run: tests/rkif-script.test.sh (exit 0 = passed); RecurrentKif.Integration.Tests runs it too.
set -euo pipefail
script="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/rkif"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

repo="$scratch/repo"
mkdir -p "$repo/src/Launcher" "$repo/src/Gpu" "$repo/hocon" "$repo/models/builtin-llama" "$scratch/fake"
cp "$script" "$repo/rkif"
touch "$repo/src/Launcher/RecurrentKif.Launcher.csproj" "$repo/src/Launcher/Program.cs" "$repo/src/Gpu/Model.cs" \
  "$repo/hocon/reference.conf" "$repo/models/builtin-llama/config.json" "$repo/Directory.Build.props"

calls="$scratch/calls"
cat >"$scratch/fake/dotnet" <<EOF
#!/usr/bin/env bash
if [[ "\$1" == build ]]; then
  echo build >>"$calls"
  [[ -f "$scratch/fail" ]] && { echo "error CS1002: ; expected"; exit 1; }
  mkdir -p "$repo/src/Launcher/bin/Release/net10.0/linux-x64" "$repo/src/Launcher/obj"
  touch "$repo/src/Launcher/bin/Release/net10.0/linux-x64/rkif.dll" "$repo/src/Launcher/obj/project.assets.json"
  exit 0
fi
shift
echo "run \$* TC=\${DOTNET_TieredCompilation:-unset}" >>"$calls"
EOF
chmod +x "$scratch/fake/dotnet"
export PATH="$scratch/fake:$PATH"
unset DOTNET_TieredCompilation

failures=0
# Runs ./rkif with the given arguments and compares the fake dotnet's calls with the expected lines.
check() {
  local what=$1 expected=$2; shift 2
  : >"$calls"
  "$repo/rkif" "$@" >/dev/null 2>&1 || true
  local got; got=$(paste -sd '|' "$calls")
  if [[ "$got" == "$expected" ]]; then echo "ok   $what"
  else echo "FAIL $what: expected '$expected', got '$got'"; failures=$((failures + 1)); fi
}
# Edits a file's mtime, into the future: also checks that a clock-skewed file rebuilds once, not on every call.
later() { touch -d "@$(($(date +%s) + 5))" "$@"; }

check "first call builds"                       "build|run status x.conf TC=1" status x.conf
check "nothing changed: no build"               "run status x.conf TC=1"       status x.conf
later "$repo/src/Gpu/Model.cs"
check "an edited source file rebuilds"          "build|run run x.conf TC=unset" run x.conf
check "… once, though its mtime is in the future" "run run x.conf TC=unset"     run x.conf
later "$repo/src/Gpu"; touch -d "@$(($(date +%s) + 5))" "$repo/src/Gpu/New.cs"
check "a new source file rebuilds"              "build|run --help TC=1"         --help
rm "$repo/src/Gpu/New.cs"; later "$repo/src/Gpu"
check "a deleted source file rebuilds"          "build|run --help TC=1"         --help
later "$repo/hocon/reference.conf"
check "an edited hocon file rebuilds"           "build|run report x.conf TC=1"  report x.conf
later "$repo/models/builtin-llama/config.json"
check "an edited built-in model file rebuilds"  "build|run --help TC=1"         --help
later "$repo/Directory.Build.props"
check "an edited Directory.Build.props rebuilds" "build|run --help TC=1"        --help
later "$repo/src/Launcher/obj/project.assets.json"; touch "$repo/src/Launcher/bin/extra.dll"
check "build outputs (bin/, obj/) do not rebuild"     "run --help TC=1"               --help
rm "$repo/src/Launcher/bin/Release/net10.0/linux-x64/rkif.dll"
check "a missing dll rebuilds"                  "build|run --help TC=1"         --help
later "$repo/src/Launcher/Program.cs"; touch "$scratch/fail"
check "a failed build does not run"             "build"                         --help
rm "$scratch/fail"
check "… and the next call builds again"        "build|run --help TC=1"         --help
RKIF_REBUILD=1 check "RKIF_REBUILD=1 forces a build" "build|run --help TC=1"    --help
check "training commands keep tiering off"      "run train --epochs 1 TC=unset" train --epochs 1
check "short commands turn tiering on"          "run submit --name a TC=1"      submit --name a
DOTNET_TieredCompilation=0 check "the caller's DOTNET_TieredCompilation wins" "run status x.conf TC=0" status x.conf

installed="$scratch/installed"
mkdir -p "$installed"
cp "$script" "$installed/rkif"
touch "$installed/rkif.dll"
: >"$calls"
"$installed/rkif" status x.conf >/dev/null 2>&1
if [[ "$(paste -sd '|' "$calls")" == "run status x.conf TC=1" ]]; then echo "ok   installed beside rkif.dll: runs it, never builds"
else echo "FAIL installed: got '$(paste -sd '|' "$calls")'"; failures=$((failures + 1)); fi

mkdir -p "$scratch/bin"
ln -s "$installed/rkif" "$scratch/bin/rkif"
: >"$calls"
"$scratch/bin/rkif" --help >/dev/null 2>&1
if [[ "$(paste -sd '|' "$calls")" == "run --help TC=1" ]]; then echo "ok   a symbolic link to the installed script runs the installed dll"
else echo "FAIL symbolic link: got '$(paste -sd '|' "$calls")'"; failures=$((failures + 1)); fi

((failures == 0)) || { echo "$failures check(s) failed"; exit 1; }
echo "all checks passed"
