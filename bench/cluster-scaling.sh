#!/usr/bin/env bash
# Cluster scaling on this machine: the same Recurrent-KIF sequence (3 built-in tasks) trained by a cluster with one
# learner node and with two (Recurrent-KIF-DP), each time with a coordinator-only seed node and an SQLite journal
# (one machine). Every learner gets THREADS libtorch threads (default 1: a learner stands for one device, and OpenMP
# teams of 2+ threads collapse when processes oversubscribe the cores, which would measure the scheduler). Prints the training
# seconds per task as the coordinator clocks them (TrainTask → TaskTrainingDone) and the two-over-one throughput ratio.
# The two set-ups alternate for several rounds (this machine is shared and noisy) and the median ratio is reported.
#   bench/cluster-scaling.sh [rounds] [model folder]
#   (defaults: 2 rounds; ../shared/models/stories260k if present, else the built-in model)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=${1:-2}
model=${2:-}
if [ -z "$model" ]; then
  if [ -d "$root/../shared/models/stories260k" ]; then model="$root/../shared/models/stories260k"; else model=builtin; fi
fi
dotnet build "$root/src/Launcher/RecurrentKif.Launcher.csproj" -c Release -v q -nologo >/dev/null
rkif="$root/src/Launcher/bin/Release/net10.0/linux-x64/rkif.dll"
cores=$(nproc)
work=$(mktemp -d /tmp/rkif-scaling.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]:-}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

run_with() {
  local learners=$1 dir="$work/l$1-r$2" base=$((26000 + 100 * $2 + 10 * $1))
  mkdir -p "$dir"
  cat >"$dir/run.conf" <<CONF
include "$root/hocon/cluster-seed.conf"
rkif {
  run-id = "scaling"
  data-root = "$dir/data"
  model = "$model"
  tasks { source = "builtin", order = "builtin-short", train-per-task = 64, dev-per-task = 8, eval-per-task = 8 }
  training { epochs = 2, batch-size = 8, micro-batch-size = 4, learning-rate = 3e-3, warmup-steps = 2, cutoff = 256, keep-answer = on }
  kif { inner-steps = 4, outer-steps = 2, outer-batch-size = 8 }
  memory-ratio = 0.25
  validation-per-task = 4
  eval-every = 8
  evaluation { max-new-tokens = 4 }
  journal.provider = "sqlite"
  cluster { seed-nodes = ["akka.tcp://rkif@127.0.0.1:$base"], min-learners = $learners }
}
CONF
  local threads=${THREADS:-1}
  RKIF_CLUSTER_PORT=$base RKIF_CLUSTER_ROLES=coordinator dotnet "$rkif" node "$dir/run.conf" --set threads=1 >"$dir/seed.log" 2>&1 &
  pids+=($!)
  sleep 3
  for i in $(seq 1 "$learners"); do
    RKIF_CLUSTER_PORT=$((base + i)) RKIF_CLUSTER_ROLES=learner RKIF_LEARNER_NAME="learner-$i" \
      dotnet "$rkif" node "$dir/run.conf" --set threads=$threads >"$dir/learner-$i.log" 2>&1 &
    pids+=($!)
  done
  for _ in $(seq 1 1200); do grep -q "after compare" "$dir/seed.log" && break; sleep 0.5; done
  grep -q "after compare" "$dir/seed.log" || { echo "the $learners-learner run did not finish; seed log:" >&2; tail -30 "$dir/seed.log" >&2; exit 1; }
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
  grep -o "trained: .* s since" "$dir/seed.log" | sed -E 's/.* ([0-9.]+) s since/\1/' | awk '{ s += $1 } END { printf "%.1f", s }' >"$work/seconds-$learners-$2"
}

ratios=()
for round in $(seq 1 "$rounds"); do
  run_with 1 "$round"
  run_with 2 "$round"
  one=$(cat "$work/seconds-1-$round")
  two=$(cat "$work/seconds-2-$round")
  ratio=$(awk -v a="$one" -v b="$two" 'BEGIN { printf "%.2f", a / b }')
  ratios+=("$ratio")
  echo "round $round: training seconds for 3 tasks: one learner $one s, two learners $two s (${THREADS:-1} thread(s) per learner, $cores cores); ratio $ratio"
done
median=$(printf "%s\n" "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')
echo "throughput two learners / one learner (median of $rounds rounds): $median"
