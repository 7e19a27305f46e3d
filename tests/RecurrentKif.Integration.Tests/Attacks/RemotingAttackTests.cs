using Akka.Actor;
using RecurrentKif.Actors.Cluster;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Client.Security;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Messages;
using Xunit.Abstractions;

namespace RecurrentKif.Integration.Tests.Attacks;

/// <summary>
/// Strangers at a node's Akka.Remote port (docs/security.md): without a certificate, with one from another CA, and with
/// a valid cluster certificate but as no member of the cluster. Each case must end in a refused connection or dropped
/// messages, with the node still running and nothing queued, committed or lost because of it.
/// </summary>
[Trait("Category", "Attack")]
public sealed class RemotingAttackTests(ITestOutputHelper output)
{
    private static readonly TimeSpan NodeUp = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(10);

    [Fact(Timeout = 6 * 60_000)]
    public async Task A_client_without_a_certificate_is_refused_and_cannot_queue_or_kill()
    {
        using var node = new AttackedNode();
        var before = await node.WaitFor(s => s.TaskNames.Count == 3, "the node to answer", NodeUp);
        string folder = Path.Combine(Path.GetTempPath(), "evil");

        await using (var attacker = RemotingAttacker.Start(tls: null))
        {
            bool reached = await attacker.Reaches(node.AkkaPort, AttackedNode.CoordinatorPath, Answer);
            attacker.At(node.AkkaPort, AttackedNode.CoordinatorPath).Tell(new QueueTask("evil", folder));
            attacker.At(node.AkkaPort, AttackedNode.CoordinatorPath).Tell(PoisonPill.Instance);
            attacker.At(node.AkkaPort, AttackedNode.GatewayPath).Tell(PoisonPill.Instance);
            await Task.Delay(TimeSpan.FromSeconds(3));
            var after = await node.WaitFor(_ => true, "the coordinator to answer after the attack", Answer * 3);
            var journal = await node.KillAndReadJournal();

            bool queued = journal.Queued.Any(q => q.TaskName == "evil") || after.TaskNames.Contains("evil");
            bool pass = !reached && !queued && after.Step >= 0 && journal.Started is not null && CommitsKept(before, journal);
            AttackLog.Case(output, "remoting: client without certificate sends QueueTask and PoisonPill",
                "TLS handshake refused; coordinator and gateway alive; nothing journaled",
                $"identify answered: {reached}; status after: {after.Phase} step {after.Step}; 'evil' queued: {queued}", pass);
            Assert.False(reached, "a client without a certificate reached the coordinator");
            Assert.False(queued, "a client without a certificate queued a task");
            Assert.True(CommitsKept(before, journal));
        }
    }

    [Fact(Timeout = 6 * 60_000)]
    public async Task A_client_with_a_certificate_from_another_CA_is_refused()
    {
        using var node = new AttackedNode();
        var before = await node.WaitFor(s => s.TaskNames.Count == 3, "the node to answer", NodeUp);
        string otherCa = Directory.CreateTempSubdirectory("rkif-other-ca").FullName;
        ClusterCertificates.WriteDevelopmentSet(otherCa, "other", ["127.0.0.1"], TimeSpan.FromDays(1));
        var foreign = new ClusterTlsOptions(Path.Combine(otherCa, ClusterCertificates.ClientCertificateFile), "other",
            Path.Combine(otherCa, ClusterCertificates.CaCertificateFile));

        await using var attacker = RemotingAttacker.Start(foreign);
        bool reached = await attacker.Reaches(node.AkkaPort, AttackedNode.CoordinatorPath, Answer);
        attacker.At(node.AkkaPort, AttackedNode.CoordinatorPath).Tell(new QueueTask("evil", otherCa));
        attacker.At(node.AkkaPort, AttackedNode.CoordinatorPath).Tell(PoisonPill.Instance);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = await node.WaitFor(_ => true, "the coordinator to answer after the attack", Answer * 3);
        var journal = await node.KillAndReadJournal();
        Directory.Delete(otherCa, recursive: true);

        bool queued = journal.Queued.Any(q => q.TaskName == "evil");
        AttackLog.Case(output, "remoting: client with a certificate of another CA sends QueueTask and PoisonPill",
            "TLS handshake refused (peer not signed by the cluster CA); coordinator alive; nothing journaled",
            $"identify answered: {reached}; status after: {after.Phase} step {after.Step}; 'evil' queued: {queued}",
            !reached && !queued && CommitsKept(before, journal));
        Assert.False(reached, "a client with a foreign certificate reached the coordinator");
        Assert.False(queued);
        Assert.True(CommitsKept(before, journal));
    }

    [Fact(Timeout = 6 * 60_000)]
    public async Task A_certified_non_member_cannot_queue_tasks_past_the_gateway()
    {
        using var node = new AttackedNode();
        var before = await node.WaitFor(s => s.TaskNames.Count == 3, "the node to answer", NodeUp);

        await using var attacker = RemotingAttacker.Start(DevCertificates.Client);
        bool reached = await attacker.Reaches(node.AkkaPort, AttackedNode.CoordinatorPath, Answer);
        string answer;
        try { answer = (await attacker.At(node.AkkaPort, AttackedNode.CoordinatorPath).Ask<TaskSubmissionResult>(new QueueTask("evil", "/tmp"), Answer)).ToString(); }
        catch (AskTimeoutException) { answer = "no answer"; }
        await Task.Delay(TimeSpan.FromSeconds(2));
        var journal = await node.KillAndReadJournal();

        bool queued = journal.Queued.Any(q => q.TaskName == "evil");
        bool logged = node.Node.Output.Contains("Dropped a QueueTask for evil");
        AttackLog.Case(output, "remoting: certified non-member sends QueueTask straight to the coordinator",
            "connection accepted (valid certificate) but QueueTask dropped and logged; nothing journaled",
            $"identify answered: {reached}; answer: {answer}; 'evil' queued: {queued}; drop logged: {logged}",
            reached && !queued && logged && CommitsKept(before, journal));
        Assert.True(reached, "the certified client could not reach the coordinator, so the case tested nothing");
        Assert.False(queued, "a QueueTask that skipped the gateway was journaled");
        Assert.True(logged, node.Node.Output);
        Assert.True(CommitsKept(before, journal));
    }

    [Fact(Timeout = 8 * 60_000)]
    public async Task Forged_shard_results_from_a_certified_non_member_are_dropped()
    {
        using var node = new AttackedNode();
        var training = await node.WaitFor(s => s.Phase == "training" && s.Step > 0, "task 0 to be training", NodeUp);
        var forged = new CheckpointFile("/tmp/forged.adapter", new string('0', 64));
        var summary = new TaskSummary(training.TaskNames[0], 1, 1, 0, null, null, 1, 1, 1, [0.5], []);

        await using var attacker = RemotingAttacker.Start(DevCertificates.Client);
        // The learner group shares the node's one compute thread with the training learner: it answers between cycles.
        bool reached = await attacker.Reaches(node.AkkaPort, AttackedNode.LearnerGroupPath, TimeSpan.FromSeconds(90));
        var group = attacker.At(node.AkkaPort, AttackedNode.LearnerGroupPath);
        // The attempt id is unknown to the attacker: a guess, and rank 0, which a one-learner run uses.
        group.Tell(new ShardCommitted(Guid.NewGuid(), 0, new ShardCommit(training.CurrentTask, 1_000, 1_000, forged, 0.1)));
        group.Tell(new ShardFinished(Guid.NewGuid(), 0, new ShardResult(training.CurrentTask, forged, summary)));
        // And a TrainShard that would point the learner's uplink (its weights) at the attacker.
        attacker.At(node.AkkaPort, AttackedNode.WorkerPath).Tell(new TrainShard(Guid.NewGuid(), 0, [], 0, 1, null, [], "fingerprint"));

        // The group handles its mail between cycles (it shares the compute thread): wait, bounded, for the three drops.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!Dropped(node.Node.Output) && clock.Elapsed < TimeSpan.FromMinutes(2) && !node.Node.HasExited) await Task.Delay(250);
        var done = await node.WaitFor(s => s.AccuracyRows.Count >= 1, "task 0 to be trained and evaluated", TimeSpan.FromMinutes(5));
        var journal = await node.KillAndReadJournal();
        bool forgedTrained = journal.Trained.Values.Any(t => t.CheckpointPath == forged.Path);
        bool forgedCommitted = Directory.EnumerateFiles(node.CheckpointFolder, "*.group.json")
            .Any(f => File.ReadAllText(f).Contains(forged.Path, StringComparison.Ordinal));
        string log = node.Node.Output;
        bool logged = Dropped(log);
        bool pass = reached && !forgedTrained && !forgedCommitted && logged && journal.Trained.ContainsKey(0) && journal.TrainedCount.GetValueOrDefault(0) == 1;
        AttackLog.Case(output, "remoting: certified non-member forges ShardCommitted/ShardFinished and a TrainShard",
            "all three dropped and logged; task 0 trained once from its real adapter",
            $"identify answered: {reached}; forged adapter journaled: {forgedTrained}; forged commit written: {forgedCommitted}; drops logged: {logged}; rows: {done.AccuracyRows.Count}",
            pass);
        Assert.True(reached, "the certified client could not reach the learner group, so the case tested nothing:\n" + log);
        Assert.False(forgedTrained, "a forged ShardFinished was journaled as the task's adapter");
        Assert.False(forgedCommitted, "a forged ShardCommitted was written into a group commit");
        Assert.True(logged, log);
        Assert.Equal(1, journal.TrainedCount.GetValueOrDefault(0));
    }

    private static bool Dropped(string log) =>
        log.Contains("Dropped ShardCommitted") && log.Contains("Dropped ShardFinished") && log.Contains("dropped a TrainShard");

    /// <summary>Nothing committed before the attack is gone from the journal afterwards.</summary>
    private static bool CommitsKept(RunStatus before, Actors.RunState journal) =>
        journal.Started is not null && journal.TaskNames.SequenceEqual(before.TaskNames)
        && (before.LastCheckpoint is null || journal.Commits.Values.SelectMany(c => c).Any(c => c.CheckpointPath == before.LastCheckpoint)
            || journal.Trained.Count > 0);
}
