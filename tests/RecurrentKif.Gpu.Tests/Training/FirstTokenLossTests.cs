using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Models.T5;
using RecurrentKif.Gpu.Tests.Data;
using RecurrentKif.Gpu.Tests.Models;
using RecurrentKif.Gpu.Tests.Models.T5;
using RecurrentKif.Gpu.Training;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Training;

public sealed class FirstTokenLossTests
{
    private const int Ignore = ExampleEncoder.IgnoreIndex;

    /// <summary>−log softmax(row)[gold], spelled out.</summary>
    private static double CrossEntropy(float[] row, int gold) => Math.Log(row.Sum(v => Math.Exp(v))) - row[gold];

    [Fact]
    public void TheFirstTokenLossIsTheCrossEntropyAtEachRowsFirstLabelledPosition()
    {
        // Three rows of three positions over a vocabulary of four; row 2 has no label at all (cut off) and is left out.
        float[][][] values =
        [
            [[0.1f, 0.2f, 0.3f, 0.4f], [1.0f, -1.0f, 2.0f, 0.5f], [0.0f, 3.0f, 0.0f, 0.0f]],
            [[2.0f, 0.0f, 1.0f, -2.0f], [0.3f, 0.3f, 0.3f, 0.3f], [9.0f, 9.0f, 9.0f, 9.0f]],
            [[5.0f, 0.0f, 0.0f, 0.0f], [5.0f, 0.0f, 0.0f, 0.0f], [5.0f, 0.0f, 0.0f, 0.0f]],
        ];
        long[,] targets = { { Ignore, 2, 1 }, { 3, 0, Ignore }, { Ignore, Ignore, Ignore } };
        using var logits = tensor(values.SelectMany(r => r.SelectMany(p => p)).ToArray(), [3, 3, 4]);
        using var labels = tensor(targets);

        using var measured = FirstAnswerToken.Measure(logits, labels);
        float[] sums = measured.data<float>().ToArray();

        // Row 0 decides at position 1 (gold 2, argmax 2: right); row 1 at position 0 (gold 3, argmax 0: wrong).
        double expected = CrossEntropy(values[0][1], 2) + CrossEntropy(values[1][0], 3);
        Assert.Equal(expected, sums[0], 5);
        Assert.Equal(1, sums[1]);
        Assert.Equal(2, sums[2]);
        var stats = new DecisionStats(sums[0], (long)sums[1], (long)sums[2]);
        Assert.Equal(expected / 2, stats.Loss, 5);
        Assert.Equal(0.5, stats.Accuracy);
    }

    [Fact]
    public void NoLabelledRowGivesNaNRatherThanZero()
    {
        var stats = new DecisionStats(0, 0, 0);
        Assert.True(double.IsNaN(stats.Loss));
        Assert.True(double.IsNaN(stats.Accuracy));
    }

    [Fact]
    public void ACausalLmsFirstTokenLossComesFromTheSameForwardPassAsItsLoss()
    {
        using var model = Stories260k.FromHfFolder();
        model.eval();
        // Prompt tokens carry no label; answers start at different positions, and left padding shifts them again.
        var examples = new[]
        {
            new EncodedExample([1, 40, 41, 42, 43, 50, 51, 2], [Ignore, Ignore, Ignore, Ignore, Ignore, 50, 51, 2]),
            new EncodedExample([1, 60, 61, 70, 2], [Ignore, Ignore, Ignore, 70, 2]),
        };
        using var batch = BatchCollator.Collate(examples, padId: 0, CPU);
        using var _ = no_grad();

        using var terms = ((ILanguageModel)model).LossWithDecision(batch);
        using var plain = ((ILanguageModel)model).Loss(batch);
        using var logits = model.Forward(batch.InputIds, batch.AttentionMask);

        // By hand: the logits at the position before each answer's first token predict it.
        long[,] labels = ToArray(batch.Labels);
        double sum = 0;
        for (int b = 0; b < examples.Length; b++)
        {
            int first = Enumerable.Range(1, labels.GetLength(1) - 1).First(i => labels[b, i] != Ignore);
            sum += CrossEntropy(logits[b, first - 1].data<float>().ToArray(), (int)labels[b, first]);
        }
        DecisionStats stats = terms.ReadDecision();
        Assert.Equal(2, stats.Rows);
        Assert.Equal(sum / 2, stats.Loss, 4);
        Assert.Equal(plain.item<float>(), terms.Mean.item<float>());   // the trained loss is unchanged
    }

    [Fact]
    public void AT5sFirstTokenLossIsAtTheFirstTargetPosition()
    {
        using var dir = new TempDirectory();
        foreach (var t in TinyT5.Write(dir.Path, new TinyT5Spec()).Values) t.Dispose();
        using var model = T5Loader.LoadFolder(dir.Path, ScalarType.Float32, CPU);
        model.eval();
        using var batch = Seq2SeqBatchCollator.Collate([new EncodedExample([5, 9, 13, 2, 1], [7, 3, 1]), new EncodedExample([12, 1], [22, 1])], 0, 0, CPU, 8);
        using var _ = no_grad();

        using var terms = ((ILanguageModel)model).LossWithDecision(batch);
        using var plain = ((ILanguageModel)model).Loss(batch);
        using var logits = model.Forward(batch.InputIds, batch.AttentionMask, batch.DecoderInputIds);

        double expected = (CrossEntropy(logits[0, 0].data<float>().ToArray(), 7) + CrossEntropy(logits[1, 0].data<float>().ToArray(), 22)) / 2;
        DecisionStats stats = terms.ReadDecision();
        Assert.Equal(2, stats.Rows);
        Assert.Equal(expected, stats.Loss, 4);
        Assert.Equal(plain.item<float>(), terms.Mean.item<float>());
    }

    private static long[,] ToArray(Tensor t)
    {
        long rows = t.shape[0], columns = t.shape[1];
        long[] flat = t.data<long>().ToArray();
        var result = new long[rows, columns];
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < columns; c++) result[r, c] = flat[r * columns + c];
        return result;
    }
}
