namespace RecurrentKif.Gpu.Data;

/// <summary>A collated batch on a device, in the layout of one model family; it owns its tensors.</summary>
public interface IModelBatch : IDisposable
{
    int BatchSize { get; }
    /// <summary>Positions whose label is scored by the loss.</summary>
    long LabelTokenCount { get; }
    /// <summary>Non-pad input positions in the whole batch (the throughput counter).</summary>
    long RealTokenCount { get; }
}
