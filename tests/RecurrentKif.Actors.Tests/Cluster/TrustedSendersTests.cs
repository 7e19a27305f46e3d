using Akka.Actor;
using RecurrentKif.Actors.Cluster;
using RecurrentKif.Actors.Coordination;

namespace RecurrentKif.Actors.Tests.Cluster;

/// <summary>
/// Who may assign a learner worker its shard (docs/security.md §5): an attempt child of the run coordinator's learner
/// group, with exactly that path; anything shaped otherwise is refused.
/// </summary>
public sealed class TrustedSendersTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly string Group = $"/user/run-coordinator/singleton/{RunSupervisor.CoordinatorName}/learner-group";

    private IActorRef At(string path) =>
        new EmptyLocalActorRef(((ExtendedActorSystem)Sys).Provider, ActorPath.Parse($"akka://{Sys.Name}{path}"), Sys.EventStream);

    [Fact]
    public void An_attempt_of_the_learner_group_assigns_shards()
    {
        Assert.True(TrustedSenders.IsLearnerGroupAttempt(Sys, At($"{Group}/{GroupAttemptActor.NameFor(Guid.NewGuid())}")));
    }

    [Theory]
    [InlineData("")]                                                   // the group itself
    [InlineData("/attempt-0123456789ABCDEF0123456789ABCDEF")]          // not NameFor's lower-case hex
    [InlineData("/attempt-0123456789abcdef0123456789abcde")]           // 31 digits
    [InlineData("/attempt-0123456789abcdef0123456789abcdeg")]          // not hex
    [InlineData("/trial-0123456789abcdef0123456789abcdef00")]          // another name of the same length
    [InlineData("/attempt-0123456789abcdef0123456789abcdef/uplink")]   // below an attempt
    public void Anything_else_does_not(string below)
    {
        Assert.False(TrustedSenders.IsLearnerGroupAttempt(Sys, At(Group + below)));
    }

    [Fact]
    public void An_attempt_of_another_actor_does_not()
    {
        string name = GroupAttemptActor.NameFor(Guid.NewGuid());
        Assert.False(TrustedSenders.IsLearnerGroupAttempt(Sys, At($"/user/run-coordinator/singleton/{RunSupervisor.CoordinatorName}/{name}")));
        Assert.False(TrustedSenders.IsLearnerGroupAttempt(Sys, At($"/user/a/b/c/learner-group/{name}")));
    }
}
