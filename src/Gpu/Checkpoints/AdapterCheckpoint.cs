using System.Text.Json;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Lora;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Checkpoints;

/// <summary>
/// An adapter between tasks: θ plus libtorch's RNG state, so the next task starts exactly as it would have in an
/// uninterrupted run (dropout draws continue the same stream). Written at run start and at the end of every task.
/// </summary>
public static class AdapterCheckpoint
{
    private sealed record State(int Version, string Label, int TensorCount);

    public static CheckpointReference Save(LoraAdapter adapter, string path, string label)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int i = 0; i < adapter.Parameters.Count; i++) tensors[$"theta.{i:D4}"] = adapter.Parameters[i];
        using var rng = get_rng_state();
        tensors["torch_rng"] = rng;
        // With a backup: the initial and task-end adapters have no older commit to fall back to (docs/architecture.md §6).
        return TensorBundle.Save(path, tensors, JsonSerializer.Serialize(new State(1, label, adapter.Parameters.Count)), withBackup: true);
    }

    /// <summary>Loads θ (and, unless told otherwise, the RNG state) after verifying the file's hash.</summary>
    public static void Restore(LoraAdapter adapter, CheckpointReference reference, bool restoreRandomState = true)
    {
        var (file, json) = TensorBundle.Open(reference);
        var state = JsonSerializer.Deserialize<State>(json);
        if (state is null || state.TensorCount != adapter.Parameters.Count)
            throw new CheckpointException($"checkpoint {reference.Path} holds {state?.TensorCount} LoRA tensors; this adapter has {adapter.Parameters.Count}");
        var theta = Enumerable.Range(0, adapter.Parameters.Count)
            .Select(i => file.Load($"theta.{i:D4}").to(adapter.Parameters[i].device)).ToList();
        using (new DisposableList(theta)) adapter.CopyFrom(theta);
        if (restoreRandomState)
            using (var rng = file.Load("torch_rng")) set_rng_state(rng);
    }
}
