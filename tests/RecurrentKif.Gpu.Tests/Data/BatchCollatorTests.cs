using RecurrentKif.Gpu.Data;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Data;

public class BatchCollatorTests
{
    private const int Ignore = ExampleEncoder.IgnoreIndex;

    private static readonly EncodedExample Short = new([1, 10, 11], [Ignore, 11, 2]);
    private static readonly EncodedExample Long = new([1, 20, 21, 22, 23], [Ignore, Ignore, 21, 22, 23]);

    [Fact]
    public void PadsOnTheLeftAndIgnoresPads()
    {
        using TokenBatch batch = BatchCollator.Collate([Short, Long], padId: 0, CPU);

        Assert.Equal([2L, 5L], batch.InputIds.shape);
        Assert.Equal(ScalarType.Int64, batch.InputIds.dtype);
        Assert.Equal(ScalarType.Bool, batch.AttentionMask.dtype);
        Assert.Equal(ScalarType.Int64, batch.Labels.dtype);
        Assert.Equal([0L, 0, 1, 10, 11, 1, 20, 21, 22, 23], batch.InputIds.data<long>().ToArray());
        Assert.Equal([false, false, true, true, true, true, true, true, true, true], batch.AttentionMask.data<bool>().ToArray());
        Assert.Equal([Ignore, Ignore, Ignore, 11L, 2, Ignore, Ignore, 21, 22, 23], batch.Labels.data<long>().ToArray());
        Assert.Equal([0L, 0, 0, 1, 2, 0, 1, 2, 3, 4], batch.PositionIds.data<long>().ToArray());
        Assert.Equal(5, batch.LabelTokenCount);
        Assert.Equal(8, batch.RealTokenCount);
    }

    [Fact]
    public void UsesTheGivenPadIdAndRoundsLengthUpToTheMultiple()
    {
        using TokenBatch batch = BatchCollator.Collate([Short], padId: 7, CPU, padToMultipleOf: 8);

        Assert.Equal([1L, 8L], batch.InputIds.shape);
        Assert.Equal([7L, 7, 7, 7, 7, 1, 10, 11], batch.InputIds.data<long>().ToArray());
        Assert.Equal(3, batch.RealTokenCount);
    }

    [Fact]
    public void PromptBatchIsLeftPaddedWithNoLabels()
    {
        using TokenBatch batch = BatchCollator.CollatePrompts([[1, 5], [1, 6, 7, 8]], padId: 0, CPU);

        Assert.Equal([0L, 0, 1, 5, 1, 6, 7, 8], batch.InputIds.data<long>().ToArray());
        Assert.All(batch.Labels.data<long>().ToArray(), l => Assert.Equal(Ignore, l));
        Assert.Equal(0, batch.LabelTokenCount);
        Assert.Equal(6, batch.RealTokenCount);
    }

    [Fact]
    public void RejectsMismatchedLabelsAndEmptyBatches()
    {
        Assert.Throws<ArgumentException>(() => BatchCollator.Collate([new EncodedExample([1, 2], [Ignore])], 0, CPU));
        Assert.Throws<ArgumentException>(() => BatchCollator.Collate([], 0, CPU));
    }
}
