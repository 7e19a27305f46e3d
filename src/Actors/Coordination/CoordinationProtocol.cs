using Akka.Actor;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Coordination;

// Messages between the RunCoordinator, its own helpers (training attempts, submissions) and the RunSupervisor above
// it. They carry in-process objects and never cross a network boundary.

/// <summary>Coordinator → RunSupervisor: a journal write or the recovery failed; the coordinator stops right after.</summary>
public sealed record JournalFailed(string Cause);

/// <summary>Coordinator → RunSupervisor: the run ended (finished or failed for good); the supervisor hands it to whoever waits.</summary>
public sealed record RunEnded(RunCompleted Result);

/// <summary>Coordinator → submissions: check and load a submitted task; <see cref="KnownTasks"/> are the run's task names now.</summary>
public sealed record SubmissionRequest(QueueTask Task, IReadOnlyList<string> KnownTasks, IActorRef Requester);

/// <summary>Submissions → coordinator: the task's files loaded; journal it (TaskQueued) and answer the requester.</summary>
public sealed record SubmissionLoaded(QueueTask Task, AcceptedTask Accepted, IActorRef Requester);
