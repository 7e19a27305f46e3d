using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Experiments;

namespace RecurrentKif.Gpu.Tests.Experiments;

public sealed class ExperimentVariantTests
{
    [Fact]
    public void OuterLearnerMethodsRunPerModeAndAblationsWithTheFirstMode()
    {
        var variants = ExperimentVariants.Build(
            ExperimentVariants.ParseMethods("SeqLora,RecurrentKif,ComputeMatchedReplay"),
            ExperimentVariants.ParseOuterModes("SeparateAdamW,Frozen"),
            ExperimentVariants.ParseAblations("none,-DIE,+Adaptive"));
        Assert.Equal(
        [
            "SeqLora", "RecurrentKif[SeparateAdamW]", "RecurrentKif[Frozen]", "ComputeMatchedReplay[SeparateAdamW]", "ComputeMatchedReplay[Frozen]",
            "RecurrentKif[SeparateAdamW] −DIE", "RecurrentKif[SeparateAdamW] +Adaptive",
        ], variants.Select(v => v.Name));
    }

    [Fact]
    public void AVariantSetsMethodModeAblationAndSeedOnly()
    {
        var baseSettings = TinyTasksSettings();
        var settings = new ExperimentVariant(ContinualMethod.RecurrentKif, OuterUpdateMode.SeparateAdamW, Ablation.GlobalMerge).Apply(baseSettings, seed: 11);
        Assert.Equal(ContinualMethod.RecurrentKif, settings.Method);
        Assert.Equal(OuterUpdateMode.SeparateAdamW, settings.Kif.OuterUpdate);
        Assert.True(settings.Kif.GlobalMerge);
        Assert.Equal(11, settings.FineTune.Seed);
        Assert.Equal(baseSettings.Kif with { OuterUpdate = OuterUpdateMode.SeparateAdamW, GlobalMerge = true }, settings.Kif);
        Assert.Equal(baseSettings.FineTune with { Seed = 11 }, settings.FineTune);

        var seq = new ExperimentVariant(ContinualMethod.SeqLora).Apply(baseSettings, seed: 3);
        Assert.Equal(baseSettings.Kif, seq.Kif);
    }

    [Theory]
    [InlineData("-KI", Ablation.NoKnowledgeIdentification)]
    [InlineData("−ki", Ablation.NoKnowledgeIdentification)]
    [InlineData("+GM", Ablation.GlobalMerge)]
    [InlineData("-DIE", Ablation.NoDynamicImportance)]
    [InlineData("-Share", Ablation.NoShare)]
    [InlineData("+adaptive", Ablation.Adaptive)]
    [InlineData("none", Ablation.None)]
    public void AblationsParseWithEitherMinus(string text, Ablation expected) => Assert.Equal(expected, Ablations.Parse(text));

    [Fact]
    public void EachAblationChangesOneSetting()
    {
        var kif = new KifSettings();
        Assert.False(Ablation.NoKnowledgeIdentification.ApplyTo(kif).IdentifyKnowledge);
        Assert.True(Ablation.GlobalMerge.ApplyTo(kif).GlobalMerge);
        Assert.False(Ablation.NoDynamicImportance.ApplyTo(kif).DynamicImportance);
        Assert.False(Ablation.NoShare.ApplyTo(kif).UpdateShared);
        Assert.Equal(FusionRule.Adaptive, Ablation.Adaptive.ApplyTo(kif).Fusion);
        Assert.Equal(kif, Ablation.None.ApplyTo(kif));
    }

    [Fact]
    public void BadListsAreRefused()
    {
        Assert.Equal([1L, 2L, 3L], ExperimentVariants.ParseSeeds("1, 2,3"));
        Assert.Throws<ArgumentException>(() => ExperimentVariants.ParseSeeds("1,1"));
        Assert.Throws<ArgumentException>(() => ExperimentVariants.ParseSeeds("one"));
        Assert.Throws<ArgumentException>(() => ExperimentVariants.ParseMethods("Kif"));
        Assert.Throws<ArgumentException>(() => ExperimentVariants.ParseOuterModes("Fast"));
        Assert.Throws<ArgumentException>(() => Ablations.Parse("-XYZ"));
    }

    private static ContinualSettings TinyTasksSettings() => RecurrentKif.Gpu.Tests.Continual.TinyTasks.Settings(ContinualMethod.SeqLora);
}
