using RecurrentKif.Actors;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Checkpoints;

namespace RecurrentKif.Launcher.Commands;

/// <summary>A finished (or partly finished) run's adapters, read through its journal.</summary>
public static class RunArtifacts
{
    /// <summary>The model replica with the adapter task <paramref name="task"/> ended with (default: the last trained task).</summary>
    public static async Task<(ModelHost Host, RunState State, int Task)> OpenAdapterAsync(RunConfiguration run, int? task)
    {
        var state = await RunHost.ReadStateAsync(run);
        if (state.Trained.Count == 0) throw new InvalidOperationException($"run '{run.RunId}' has no trained task yet (see `rkif status`)");
        int k = task ?? state.Trained.Keys.Max();
        if (!state.Trained.TryGetValue(k, out var trained))
            throw new ArgumentException($"task {k} of run '{run.RunId}' is not trained; trained tasks: {string.Join(", ", state.Trained.Keys.Order())}");
        var host = new ModelHost(run);
        AdapterCheckpoint.Restore(host.Adapter, new CheckpointReference(trained.CheckpointPath, trained.Sha256), restoreRandomState: false);
        return (host, state, k);
    }
}
