using System.Text.Json;
using RecurrentKif.Actors;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Persistence;

/// <summary>The journal writes events with System.Text.Json, as RunEventSerializer does: no NaN, and older events stay readable.</summary>
public sealed class TaskSummaryJournalTests
{
    private static TaskTrainingStats Stats() => new("cb", 3, 2, [], 0.5, 0.6, 2, 100, 1.5, [1.2, 1.0, 0.9])
    {
        FirstTokenLosses = [1.1, double.NaN, 0.7],
        Validations = [new ValidationPoint(2, 0.5, 0.75), new ValidationPoint(3, 0.6, double.NaN)],
    };

    [Fact]
    public void TheDecisionDiagnosticsSurviveTheJournalWithNaNAsNull()
    {
        var written = new TaskTrained(0, "a.adapter", "sha", Summaries.Of(Stats()));

        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(written, written.GetType());
        var read = Summaries.ToStats(JsonSerializer.Deserialize<TaskTrained>(bytes)!.Summary);

        Assert.Equal(Stats().FirstTokenLosses, read.FirstTokenLosses);   // NaN equals NaN for doubles
        Assert.Equal(Stats().Validations, read.Validations);
        Assert.Equal(Stats().Losses, read.Losses);
    }

    [Fact]
    public void ASummaryJournaledBeforeTheDiagnosticsIsStillRead()
    {
        const string old = """
            {"TaskIndex":0,"CheckpointPath":"a","Sha256":"s","Summary":{"Task":"cb","InnerSteps":2,"OuterSteps":0,"Fusions":0,
             "BestValidationLoss":null,"LastValidationLoss":0.5,"SelectedStep":2,"Seconds":1,"TrainingTokens":10,"Losses":[1.0,0.8],"FusionShares":[]}}
            """;

        var stats = Summaries.ToStats(JsonSerializer.Deserialize<TaskTrained>(old)!.Summary);

        Assert.Equal([1.0, 0.8], stats.Losses);
        Assert.Empty(stats.FirstTokenLosses);
        Assert.Empty(stats.Validations);
    }
}
