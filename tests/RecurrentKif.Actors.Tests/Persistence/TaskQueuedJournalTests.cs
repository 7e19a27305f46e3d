using System.Text;
using Akka.Actor;
using RecurrentKif.Actors.Persistence;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Persistence;

/// <summary>TaskQueued gained the hash of the run's copy: new events are v2, and v1 events (no hash) are still read.</summary>
public sealed class TaskQueuedJournalTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public void A_queued_task_is_written_as_v2_with_its_hash_and_read_back()
    {
        var serializer = new RunEventSerializer((ExtendedActorSystem)Sys);
        var written = new TaskQueued("parity", "/data/incoming", new string('a', 64));

        Assert.Equal("TaskQueued.v2", serializer.Manifest(written));
        Assert.Equal(written, serializer.FromBinary(serializer.ToBinary(written), "TaskQueued.v2"));
    }

    [Fact]
    public void A_v1_event_from_before_copies_were_taken_is_read_with_no_hash()
    {
        var serializer = new RunEventSerializer((ExtendedActorSystem)Sys);
        byte[] v1 = Encoding.UTF8.GetBytes("""{"TaskName":"parity","Source":"/data/incoming"}""");

        Assert.Equal(new TaskQueued("parity", "/data/incoming", null), serializer.FromBinary(v1, "TaskQueued.v1"));
    }
}
