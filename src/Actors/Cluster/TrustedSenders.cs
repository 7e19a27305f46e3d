using Akka.Actor;
using Akka.Cluster;

namespace RecurrentKif.Actors.Cluster;

/// <summary>
/// Who may send the messages that change a run (docs/security.md, "Inside the cluster"). TLS keeps strangers off the
/// port; these checks keep a peer that got in (or a bug) from steering actors it has no business with: a message is
/// trusted only when its sender lives in this process or on a node that is a current member of this cluster.
/// </summary>
public static class TrustedSenders
{
    /// <summary>True when <paramref name="sender"/> is local or on a node that is an Up (or joining/leaving) member of the cluster.</summary>
    public static bool IsClusterMember(ActorSystem system, IActorRef sender)
    {
        var address = sender.Path.Address;
        if (!address.HasGlobalScope) return true;   // a local actor (no host in its address)
        if (((ExtendedActorSystem)system).Provider is not ClusterActorRefProvider) return false;
        var cluster = Akka.Cluster.Cluster.Get(system);
        if (address.Equals(cluster.SelfAddress)) return true;
        return cluster.State.Members.Any(m => m.Address.Equals(address)
            && m.Status is MemberStatus.Up or MemberStatus.Joining or MemberStatus.WeaklyUp or MemberStatus.Leaving);
    }

    /// <summary>
    /// True when <paramref name="sender"/> is an attempt of the run coordinator's learner group on a cluster member (the
    /// singleton manager's supervisor's coordinator's <c>learner-group</c> child's <c>attempt-&lt;32 hex digits&gt;</c>
    /// child, <see cref="GroupAttemptActor"/>): the only actors that assign shards to a learner worker.
    /// </summary>
    public static bool IsLearnerGroupAttempt(ActorSystem system, IActorRef sender) =>
        sender.Path.Elements is ["user", _, _, Coordination.RunSupervisor.CoordinatorName, "learner-group", var attempt]
        && IsAttemptName(attempt) && IsClusterMember(system, sender);

    /// <summary>Exactly <see cref="GroupAttemptActor.NameFor"/>'s form: "attempt-" and a GUID's 32 lower-case hex digits.</summary>
    private static bool IsAttemptName(string name) =>
        name.Length == 40 && name.StartsWith("attempt-", StringComparison.Ordinal) && name.AsSpan(8).IndexOfAnyExcept("0123456789abcdef") < 0;
}
