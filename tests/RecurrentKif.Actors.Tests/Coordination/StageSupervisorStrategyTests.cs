using Akka.Actor;
using RecurrentKif.Actors.Coordination;
using RecurrentKif.Actors.Pipeline;

namespace RecurrentKif.Actors.Tests.Coordination;

/// <summary>Every restart of a stage under <see cref="StageSupervisorStrategy"/> reaches its parent as StageRestarted, with the stage's name and the cause.</summary>
public sealed class StageSupervisorStrategyTests : Akka.TestKit.Xunit2.TestKit
{
    private sealed class Failing : ReceiveActor
    {
        public Failing() => Receive<string>(m => throw new InvalidOperationException(m));
    }

    private sealed class Parent : ReceiveActor
    {
        public Parent(IActorRef reports)
        {
            var stage = Context.ActorOf(Props.Create(() => new Failing()), "evaluator");
            Receive<StageRestarted>(m => reports.Forward(m));
            Receive<string>(m => stage.Tell(m));
        }

        protected override SupervisorStrategy SupervisorStrategy() => new StageSupervisorStrategy();
    }

    [Fact]
    public void Each_restart_is_reported_with_the_stage_and_the_cause()
    {
        var reports = CreateTestProbe();
        var parent = Sys.ActorOf(Props.Create(() => new Parent(reports.Ref)));
        parent.Tell("checkpoint x is missing");
        Assert.Equal(new StageRestarted("evaluator", "checkpoint x is missing"), reports.ExpectMsg<StageRestarted>(TimeSpan.FromSeconds(20)));
        parent.Tell("again");
        Assert.Equal(new StageRestarted("evaluator", "again"), reports.ExpectMsg<StageRestarted>(TimeSpan.FromSeconds(20)));
        reports.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }
}
