namespace RecurrentKif.Gpu.Training;

/// <summary>
/// How long and in what batches to train on one task. One optimizer step sees <see cref="BatchSize"/> examples,
/// run as micro-batches of <see cref="MicroBatchSize"/> (gradient accumulation), as the official launchers do
/// (LLaMA: 64 = 16 × 4; T5: 8 = 2 × 4).
/// </summary>
public sealed record FineTuneSettings
{
    public int Epochs { get; init; } = 10;
    /// <summary>Stop after this many optimizer steps even if epochs remain (0 = no limit).</summary>
    public int MaxSteps { get; init; }
    public int BatchSize { get; init; } = 64;
    public int MicroBatchSize { get; init; } = 16;
    /// <summary>Token limit of a decoder-only prompt + answer (LLaMA: 512), or of an encoder-decoder source (T5: 1 024).</summary>
    public int Cutoff { get; init; } = 512;
    /// <summary>Token limit of an encoder-decoder target, &lt;/s&gt; included (T5: 128); decoder-only models ignore it.</summary>
    public int TargetCutoff { get; init; } = 128;
    /// <summary>Over-long examples lose the start of their prompt instead of their answer (see <see cref="Data.ExampleEncoder"/>).</summary>
    public bool KeepAnswer { get; init; }
    /// <summary>Decoder-only prompt format: Alpaca (the official LLaMA code) or Plain (instruction + input, then the answer).</summary>
    public Data.PromptTemplate PromptTemplate { get; init; } = Data.PromptTemplate.Alpaca;
    public long Seed { get; init; } = 42;

    public int AccumulationSteps => Math.Max(1, BatchSize / MicroBatchSize);

    /// <summary>Steps per epoch = floor(ceil(n / micro) / accum), as HF counts them (docs/algorithm.md §4.2).</summary>
    public int StepsPerEpoch(int examples) => (int)Math.Ceiling(examples / (double)MicroBatchSize) / AccumulationSteps;

    public int TotalSteps(int examples)
    {
        int total = StepsPerEpoch(examples) * Epochs;
        return MaxSteps > 0 ? Math.Min(total, MaxSteps) : total;
    }

    public void Validate()
    {
        if (Epochs <= 0) throw new ArgumentException($"epochs must be > 0 (got {Epochs})");
        if (MaxSteps < 0) throw new ArgumentException($"max steps must be >= 0 (got {MaxSteps})");
        if (MicroBatchSize <= 0 || BatchSize <= 0) throw new ArgumentException("batch sizes must be > 0");
        if (BatchSize % MicroBatchSize != 0)
            throw new ArgumentException($"batch size {BatchSize} must be a multiple of the micro-batch size {MicroBatchSize}");
        if (Cutoff < 8) throw new ArgumentException($"cutoff must be at least 8 tokens (got {Cutoff})");
        if (TargetCutoff < 2) throw new ArgumentException($"target cutoff must be at least 2 tokens (got {TargetCutoff})");
    }
}
