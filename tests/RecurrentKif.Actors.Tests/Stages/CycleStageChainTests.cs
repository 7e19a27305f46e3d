using Akka.Actor;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Stages;
using RecurrentKif.Actors.Tensors;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Messages;
using static TorchSharp.torch;

namespace RecurrentKif.Actors.Tests.Stages;

/// <summary>
/// The cycle end's stage chain on CPU (aggregator → pruner → merger, a probe as the learner): the fused θ it sends back
/// equals, bit for bit, what the library's pure steps compute from the same tensors, for one rank and for the mean of two.
/// </summary>
public sealed class CycleStageChainTests : Akka.TestKit.Xunit2.TestKit
{
    // Attempt ids are GUIDs (docs/security.md): fixed ones here so a failure names them.
    private static readonly Guid Attempt1 = new("00000000-0000-0000-0000-000000000001");
    private static readonly Guid Attempt2 = new("00000000-0000-0000-0000-000000000002");
    private static readonly Guid Attempt3 = new("00000000-0000-0000-0000-000000000003");

    // Generous: the machine is shared and two cores; the tests never wait this long when they pass.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly long[][] Shapes = [[4, 16], [16, 4], [4, 8]];

    /// <summary>One rank's cycle: θ_ref, θ_Q, θ and both score maps (seeded, so two ranks differ).</summary>
    private sealed record RankCycle(IReadOnlyList<Tensor> Reference, IReadOnlyList<Tensor> AfterInner, IReadOnlyList<Tensor> Theta,
        IReadOnlyList<Tensor> Inner, IReadOnlyList<Tensor> Outer)
    {
        public static RankCycle Random(int seed, IReadOnlyList<Tensor>? reference = null)
        {
            manual_seed(seed);
            var theRef = reference ?? Shapes.Select(s => randn(s)).ToList();
            var afterInner = theRef.Select(r => r + randn_like(r) * 0.01).ToList();
            var theta = afterInner.Select(q => q + randn_like(q) * 0.01).ToList();
            return new RankCycle(theRef, afterInner, theta, Shapes.Select(s => rand(s)).ToList(), Shapes.Select(s => rand(s)).ToList());
        }
    }

    private TensorStore Store => TensorStoreExtension.For(Sys);

    private IActorRef Chain(KifSettings kif)
    {
        var merger = Sys.ActorOf(MergerActor.Props());
        var pruner = Sys.ActorOf(PrunerActor.Props(kif, merger));
        return Sys.ActorOf(ImportanceAggregatorActor.Props(kif, pruner));
    }

    // The store owns what it is given, so every rank hands over copies and the test keeps its originals.
    private IReadOnlyList<TensorHandle> Put(string name, IReadOnlyList<Tensor> tensors) => Store.PutAll(name, tensors.Select(t => t.clone()).ToList());

    private ImportanceMeasured Measured(RankCycle c, IActorRef learner, CycleRanks ranks, bool hasImportance = true) =>
        new(new CycleContext(0, 4, Put("theta", c.Theta), Put("theta-ref", c.Reference), Put("theta-q", c.AfterInner), learner) { Ranks = ranks },
            hasImportance ? Put("inner", c.Inner) : [], hasImportance ? Put("outer", c.Outer) : []);

    /// <summary>The library's cycle end on the same (averaged) tensors: identify → weigh → merge.</summary>
    private static (IReadOnlyList<Tensor> Theta, MaskShares Shares) Library(RankCycle c, KifSettings kif)
    {
        using var masks = KnowledgeIdentification.Identify(c.Inner, c.Outer, kif);
        using var weights = FusionWeighting.Weigh(masks.In, masks.Out, c.Inner, c.Outer, kif);
        return (KnowledgeMerge.Merge(c.Reference, c.AfterInner, c.Theta, weights.In, weights.Out), weights.Shares);
    }

    /// <summary>The fused θ the probe received, read and released (the learner's job).</summary>
    private IReadOnlyList<Tensor> TakeTheta(CycleMerged merged)
    {
        var theta = Store.ResolveAll(merged.Theta).Select(t => t.clone()).ToList();
        Store.ReleaseAll(merged.Theta);
        return theta;
    }

    private static void AssertBitIdentical(IReadOnlyList<Tensor> expected, IReadOnlyList<Tensor> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].shape, actual[i].shape);
            Assert.True(expected[i].eq(actual[i]).all().item<bool>(), $"tensor {i} differs from the library's");
        }
    }

    public static TheoryData<string> Variants => ["code", "paper-binary", "no-share", "no-ki", "adaptive"];

    private static KifSettings Kif(string variant) => variant switch
    {
        "code" => new KifSettings(),
        "paper-binary" => new KifSettings { Fusion = FusionRule.PaperBinary },
        "no-share" => new KifSettings { UpdateShared = false },
        "no-ki" => new KifSettings { IdentifyKnowledge = false },
        "adaptive" => new KifSettings { Fusion = FusionRule.Adaptive, AdaptiveTemperature = 0.2 },
        _ => throw new ArgumentException(variant),
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void OneRankFusesExactlyAsTheLibrary(string variant)
    {
        var kif = Kif(variant);
        var cycle = RankCycle.Random(11);
        var learner = CreateTestProbe();

        Chain(kif).Tell(Measured(cycle, learner, CycleRanks.Single));

        var merged = learner.ExpectMsg<CycleMerged>(Patience);
        var (expected, shares) = Library(cycle, kif);
        Assert.False(merged.Skipped);
        Assert.Equal((0, 4), (merged.TaskIndex, merged.Step));
        Assert.Equal(shares, merged.Shares);
        AssertBitIdentical(expected, TakeTheta(merged));
        Assert.Equal(0, Store.Count);
    }

    [Fact]
    public void AdaptiveFusionIsNotTheCodeTable()
    {
        // Guards the test above: with these scores adaptive weights and the code table fuse differently.
        var cycle = RankCycle.Random(11);
        var (adaptive, _) = Library(cycle, Kif("adaptive"));
        var (code, _) = Library(cycle, Kif("code"));
        Assert.False(adaptive.Select((t, i) => t.eq(code[i]).all().item<bool>()).All(same => same));
    }

    [Fact]
    public void TwoRanksAreAveragedInRankOrderThenFusedOnce()
    {
        var kif = new KifSettings();
        var rank0 = RankCycle.Random(21);
        var rank1 = RankCycle.Random(22, rank0.Reference);   // θ_ref is the same on every rank
        var learner = CreateTestProbe();
        var chain = Chain(kif);

        chain.Tell(Measured(rank1, learner, new CycleRanks(Attempt3, 1, 2)));   // arrival order must not matter
        learner.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        chain.Tell(Measured(rank0, learner, new CycleRanks(Attempt3, 0, 2)));

        var merged = learner.ExpectMsg<CycleMerged>(Patience);
        IReadOnlyList<Tensor> Mean(Func<RankCycle, IReadOnlyList<Tensor>> part) => DataParallelAverage.Mean([part(rank0), part(rank1)]);
        var mean = new RankCycle(rank0.Reference, Mean(c => c.AfterInner), Mean(c => c.Theta), Mean(c => c.Inner), Mean(c => c.Outer));
        var (expected, shares) = Library(mean, kif);
        Assert.False(merged.Skipped);
        Assert.Equal(Attempt3, merged.Attempt);
        Assert.Equal(shares, merged.Shares);
        AssertBitIdentical(expected, TakeTheta(merged));
        Assert.Equal(0, Store.Count);
    }

    [Fact]
    public void ARankWithoutImportanceMeansNoFusionOnlyTheAverageTheta()
    {
        var rank0 = RankCycle.Random(31);
        var rank1 = RankCycle.Random(32, rank0.Reference);
        var learner = CreateTestProbe();
        var chain = Chain(new KifSettings());

        chain.Tell(Measured(rank0, learner, new CycleRanks(Attempt1, 0, 2)));
        chain.Tell(Measured(rank1, learner, new CycleRanks(Attempt1, 1, 2), hasImportance: false));

        var merged = learner.ExpectMsg<CycleMerged>(Patience);
        Assert.True(merged.Skipped);
        Assert.Equal(MaskShares.Zero, merged.Shares);
        AssertBitIdentical(DataParallelAverage.Mean([rank0.Theta, rank1.Theta]), TakeTheta(merged));
        Assert.Equal(0, Store.Count);
    }

    [Fact]
    public void AGatherOfAnAbandonedAttemptIsReleasedWhenTheNextAttemptArrives()
    {
        var rank0 = RankCycle.Random(41);
        var learner = CreateTestProbe();
        var chain = Chain(new KifSettings());

        chain.Tell(Measured(rank0, learner, new CycleRanks(Attempt1, 0, 2)));   // rank 1 of attempt 1 never comes
        chain.Tell(Measured(rank0, learner, CycleRanks.Single with { Attempt = Attempt2 }));

        var merged = learner.ExpectMsg<CycleMerged>(Patience);
        AssertBitIdentical(Library(rank0, new KifSettings()).Theta, TakeTheta(merged));
        AwaitAssert(() => Assert.Equal(0, Store.Count), Patience);
    }

    [Fact]
    public void AGatherOfAnAttemptActorThatStopsIsReleased()
    {
        var rank0 = RankCycle.Random(43);
        var attempt = CreateTestProbe();   // a learner group's attempt actor: it stops when the attempt is abandoned
        var chain = Chain(new KifSettings());

        chain.Tell(Measured(rank0, attempt, new CycleRanks(Attempt1, 0, 2)));   // rank 1 never comes
        Sys.Stop(attempt.Ref);

        AwaitAssert(() => Assert.Equal(0, Store.Count), Patience);
    }
}
