using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Continual;

/// <summary>How many LoRA scalars fell in each mask combination at one fusion.</summary>
public sealed record MaskShares(long InOnly, long OutOnly, long Both, long Neither)
{
    public long Total => InOnly + OutOnly + Both + Neither;
    public static MaskShares operator +(MaskShares a, MaskShares b) =>
        new(a.InOnly + b.InOnly, a.OutOnly + b.OutOnly, a.Both + b.Both, a.Neither + b.Neither);
    public static readonly MaskShares Zero = new(0, 0, 0, 0);

    /// <summary>How many scalars of one tensor fall in each mask combination.</summary>
    public static MaskShares Count(Tensor inMask, Tensor outMask)
    {
        using var _ = no_grad();
        long both = inMask.logical_and(outMask).sum().item<long>();
        long inCount = inMask.sum().item<long>(), outCount = outMask.sum().item<long>();
        return new MaskShares(inCount - both, outCount - both, both, inMask.numel() - inCount - outCount + both);
    }
}
