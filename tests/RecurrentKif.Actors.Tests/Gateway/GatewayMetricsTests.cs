using Akka.Actor;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RecurrentKif.Actors.Gateway;
using RecurrentKif.Actors.Telemetry;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Gateway;

/// <summary>The gateway counts every submission and every refusal by reason on the RecurrentKif meter (docs/observability.md §4).</summary>
public sealed class GatewayMetricsTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TaskFolder folder = new();

    protected override void Dispose(bool disposing)
    {
        folder.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public void Submissions_and_refusals_are_counted()
    {
        var counts = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == RkifMetrics.MeterName) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string key = instrument.Name;
            foreach (var tag in tags) key += $"|{tag.Key}={tag.Value}";
            counts.AddOrUpdate(key, value, (_, old) => old + value);
        });
        listener.Start();

        TaskFolder.WriteTask(Path.Combine(folder.DataRoot, "incoming"), "parity");
        var coordinator = CreateTestProbe();
        var gateway = Sys.ActorOf(TaskGatewayActor.Props(folder.Settings(), coordinator));
        gateway.Tell(new SubmitTask("parity", "incoming", "wrong-token-0123456789"));
        ExpectMsg<TaskSubmissionResult>(Patience);
        gateway.Tell(new SubmitTask("parity", "incoming", TaskFolder.Token));
        coordinator.ExpectMsg<QueueTask>(Patience);
        coordinator.Reply(TaskSubmissionResult.Queued("parity", 0));
        ExpectMsg<TaskSubmissionResult>(Patience);
        gateway.Tell(new SubmitTask("parity", "incoming", TaskFolder.Token));
        coordinator.ExpectMsg<QueueTask>(Patience);
        coordinator.Reply(TaskSubmissionResult.Refused("parity", SubmissionRefusal.Duplicate, "already there"));
        ExpectMsg<TaskSubmissionResult>(Patience);

        Assert.Equal(3, counts.GetValueOrDefault("rkif.gateway.tasks.submitted"));
        Assert.Equal(1, counts.GetValueOrDefault("rkif.gateway.tasks.refused|reason=Unauthenticated"));
        Assert.Equal(1, counts.GetValueOrDefault("rkif.gateway.tasks.refused|reason=Duplicate"));
    }
}
