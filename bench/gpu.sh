#!/usr/bin/env bash
# The benchmark on an NVIDIA GPU, in one command (a few minutes):
#   bench/gpu.sh [--quick] [--only training,continual,…]
# Needs: the .NET 10 SDK, an NVIDIA driver for CUDA 12.8 (R570 or newer) and access to nuget.org, from which the build
# takes libtorch-cuda-12.8-linux-x64 2.10.0 — the libtorch TorchSharp 0.107.0 is built against (no other version works).
# Without nuget.org: put a CUDA libtorch 2.10 (cxx11 ABI) on LD_LIBRARY_PATH and set TORCH_BACKEND=external.
# Prints the same tables as the CPU run plus MFU: achieved FLOP/s over the GPU's dense peak (from its name, see
# bench/RecurrentKif.Bench/GpuPeaks.cs) and over the bf16/fp32 matmul measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v nvidia-smi >/dev/null || { echo "bench/gpu.sh: nvidia-smi not found; this script is for an NVIDIA machine (the CPU benchmark is in the README)" >&2; exit 1; }
GPU_NAME="$(nvidia-smi --query-gpu=name --format=csv,noheader | head -n1)"
echo "GPU: ${GPU_NAME} ($(nvidia-smi --query-gpu=driver_version,memory.total --format=csv,noheader | head -n1))"
dotnet build -c Release -p:TorchBackend="${TORCH_BACKEND:-cuda}" bench/RecurrentKif.Bench
RKIF_GPU_NAME="${GPU_NAME}" dotnet bench/RecurrentKif.Bench/bin/Release/net10.0/linux-x64/rkif-bench.dll --device cuda "$@"
