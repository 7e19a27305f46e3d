using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Coordination;

/// <summary>
/// <see cref="RunState.Apply"/> over a journal that holds every event type in the order a run writes them, including a
/// rollback and a resumed task: after each event the state must say exactly what docs/architecture.md §5 and §7 derive from it.
/// </summary>
public sealed class RunStateApplyTests
{
    private static readonly DateTime Start = new(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc);

    private static TaskSummary Summary(string task) => new(task, 4, 2, 2, 0.5, 0.6, 4, 1.5, 100, [1.0, 0.5], []);

    /// <summary>One row per event, in journal order: the event and what must hold right after it.</summary>
    public static TheoryData<int, string> Steps()
    {
        var data = new TheoryData<int, string>();
        for (int i = 0; i < Journal.Length; i++) data.Add(i, Journal[i].GetType().Name);
        return data;
    }

    private static readonly IRunEvent[] Journal =
    [
        new RunStarted("r", "fp", ["a", "b"], Start, "/c/initial.adapter", "i0"),
        new TaskQueued("c", "/tasks/c"),
        new TaskStarted(0),
        new CycleCommitted(0, 2, 8, "/c/task00-step000002.ckpt", "s2", 0.9),
        new CycleCommitted(0, 4, 8, "/c/task00-step000004.ckpt", "s4", 0.7),
        new CycleRolledBack(0, 5, 4, "loss is NaN"),
        new CycleCommitted(0, 6, 8, "/c/task00-step000006.ckpt", "s6", 0.6),
        new TaskTrained(0, "/c/task00-final.adapter", "f0", Summary("a")),
        new TaskEvaluated(0, [0.9, 0.1, 0.2]),
        new TaskStarted(1),
        new TaskTrained(1, "/c/task01-final.adapter", "f1", Summary("b")),
        new TaskEvaluated(1, [0.8, 0.9, 0.3]),
        new TaskStarted(2),
        new TaskTrained(2, "/c/task02-final.adapter", "f2", Summary("c")),
        new TaskEvaluated(2, [0.7, 0.8, 0.9]),
        new RunFinished(Start.AddHours(1)),
    ];

    [Theory]
    [MemberData(nameof(Steps))]
    public void Each_event_in_order_moves_the_state_exactly_as_the_journal_says(int upTo, string eventName)
    {
        var state = new RunState();
        foreach (var e in Journal.Take(upTo + 1)) state.Apply(e);
        Assert.Equal(Journal[upTo].GetType().Name, eventName);

        switch (upTo)
        {
            case 0:
                Assert.Equal(["a", "b"], state.TaskNames);
                Assert.Equal(2, state.TaskCount);
                Assert.Equal(0, state.NextTask);
                Assert.Equal(new CheckpointReference("/c/initial.adapter", "i0"), state.StartingAdapter(0));
                Assert.Equal(-1, state.LastEventTask);
                break;
            case 1:
                Assert.Equal(["a", "b", "c"], state.TaskNames);
                Assert.Equal(3, state.TaskCount);
                Assert.Single(state.Queued);
                break;
            case 2:
                Assert.Equal(0, state.LastEventTask);
                Assert.Empty(state.ResumeCandidates(0));
                Assert.Equal(0, state.LastCommittedStep(0));
                break;
            case 3 or 4:
                Assert.Equal(upTo == 3 ? 2 : 4, state.LastCommittedStep(0));
                Assert.Equal(upTo - 2, state.ResumeCandidates(0).Count);
                break;
            case 5:
                // A rollback journals what was abandoned; the commits (the resume candidates) stay as they were.
                Assert.Equal(new CycleRolledBack(0, 5, 4, "loss is NaN"), Assert.Single(state.Rollbacks));
                Assert.Equal(4, state.LastCommittedStep(0));
                Assert.Equal(["s4", "s2"], state.ResumeCandidates(0).Select(c => c.Sha256));
                break;
            case 6:
                Assert.Equal(6, state.LastCommittedStep(0));
                Assert.Equal(["s6", "s4", "s2"], state.ResumeCandidates(0).Select(c => c.Sha256));
                break;
            case 7:
                Assert.Equal(1, state.TrainedCount[0]);
                Assert.Equal(new CheckpointReference("/c/task00-final.adapter", "f0"), state.StartingAdapter(1));
                Assert.Equal(0, state.NextTask);   // trained but not evaluated: evaluated next, not trained again
                break;
            case 8:
                Assert.Equal(1, state.NextTask);
                Assert.Equal([0.9, 0.1, 0.2], state.Rows[0]);
                Assert.Equal(1, state.EvaluatedCount[0]);
                break;
            case 9 or 10 or 11 or 12 or 13:
                Assert.Equal(upTo <= 11 ? 1 : 2, state.LastEventTask);
                Assert.Equal(upTo < 11 ? 1 : 2, state.NextTask);
                Assert.False(state.Finished);
                break;
            case 14:
                Assert.Equal(3, state.NextTask);
                Assert.False(state.Finished);
                Assert.All(Enumerable.Range(0, 3), k => Assert.Equal(1, state.TrainedCount[k]));
                Assert.All(Enumerable.Range(0, 3), k => Assert.Equal(1, state.EvaluatedCount[k]));
                break;
            case 15:
                Assert.True(state.Finished);
                Assert.Equal(Start.AddHours(1), state.FinishedUtc);
                break;
            default:
                Assert.Fail($"no expectation for event {upTo}");
                break;
        }
    }

    [Fact]
    public void Nothing_is_started_before_RunStarted()
    {
        var state = new RunState();
        state.Apply(new TaskQueued("c", "/tasks/c"));   // a submission journaled before the run's start
        Assert.Null(state.Started);
        Assert.Equal(0, state.TaskCount);
        Assert.Empty(state.TaskNames);
        Assert.Equal(0, state.NextTask);
    }

    [Fact]
    public void A_task_journaled_twice_is_counted_twice_so_the_exactly_once_checks_can_fail()
    {
        var state = new RunState();
        state.Apply(new RunStarted("r", "fp", ["a"], Start, "/c/initial.adapter", "i0"));
        state.Apply(new TaskTrained(0, "/c/x", "f", Summary("a")));
        state.Apply(new TaskTrained(0, "/c/y", "g", Summary("a")));
        state.Apply(new TaskEvaluated(0, [0.5]));
        state.Apply(new TaskEvaluated(0, [0.6]));
        Assert.Equal(2, state.TrainedCount[0]);
        Assert.Equal(2, state.EvaluatedCount[0]);
        Assert.Equal("g", state.Trained[0].Sha256);   // the later event wins
        Assert.Equal([0.6], state.Rows[0]);
    }
}
