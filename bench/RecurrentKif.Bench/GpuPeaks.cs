namespace RecurrentKif.Bench;

/// <summary>
/// Dense (no sparsity) peak tensor-core FLOP/s of common NVIDIA GPUs, from their data sheets, for MFU. The name comes
/// from nvidia-smi through RKIF_GPU_NAME (bench/gpu.sh sets it); an unknown GPU gets MFU against the matmul measured
/// in the same run only.
/// </summary>
public static class GpuPeaks
{
    private static readonly (string Name, double Bf16Tflops, double Fp32Tflops)[] Table =
    [
        ("H200", 989, 67), ("H100 SXM", 989, 67), ("H100 80GB HBM3", 989, 67), ("H100 PCIe", 756, 51), ("H100 NVL", 835, 60),
        ("GH200", 989, 67), ("A100", 312, 19.5), ("A10G", 70, 31.2), ("A10", 125, 31.2), ("L40S", 362, 91.6), ("L4", 121, 30.3),
        ("RTX 4090", 165, 82.6), ("RTX 3090", 71, 35.6), ("V100", 125, 15.7), ("T4", 65, 8.1),
    ];

    /// <summary>The peak for the GPU named in RKIF_GPU_NAME (longest matching entry), or null when unknown or not set.</summary>
    public static (string Name, double Bf16Tflops, double Fp32Tflops)? FromEnvironment()
    {
        string? name = Environment.GetEnvironmentVariable("RKIF_GPU_NAME");
        if (string.IsNullOrWhiteSpace(name)) return null;
        return Table.Where(e => name.Contains(e.Name, StringComparison.OrdinalIgnoreCase)).OrderByDescending(e => e.Name.Length)
            .Select(e => ((string, double, double)?)e).FirstOrDefault();
    }
}
