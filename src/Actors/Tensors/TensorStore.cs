using System.Collections.Concurrent;
using Akka.Actor;
using static TorchSharp.torch;

namespace RecurrentKif.Actors.Tensors;

/// <summary>
/// The node's owner of tensors that travel between stages. A stage puts a tensor in (the store takes ownership) and
/// sends the <see cref="TensorHandle"/>; a stage on the same node resolves the handle to the very same tensor (no copy)
/// and releases it when done; the last release disposes it. <see cref="Count"/> is 0 after a clean run (a leak test
/// checks it). Borrowed tensors (e.g. the learner's live LoRA parameters) are registered without ownership.
/// </summary>
public sealed class TensorStore : IExtension
{
    private sealed class Entry(Tensor tensor, bool owned, int leases)
    {
        public Tensor Tensor { get; } = tensor;
        public bool Owned { get; } = owned;
        public int Leases = leases;
    }

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    public string Node { get; }

    public TensorStore(string node) => Node = node;

    public int Count => _entries.Count;

    /// <summary>Takes ownership of <paramref name="tensor"/> with <paramref name="leases"/> holders that will each release it.</summary>
    public TensorHandle Put(string name, Tensor tensor, int leases = 1) => Add(name, tensor, owned: true, leases);

    /// <summary>Registers a tensor the store must not dispose (a live parameter); released like any other handle.</summary>
    public TensorHandle Borrow(string name, Tensor tensor, int leases = 1) => Add(name, tensor, owned: false, leases);

    public IReadOnlyList<TensorHandle> PutAll(string name, IReadOnlyList<Tensor> tensors) =>
        tensors.Select((t, i) => Put($"{name}.{i}", t)).ToList();

    public IReadOnlyList<TensorHandle> BorrowAll(string name, IReadOnlyList<Tensor> tensors) =>
        tensors.Select((t, i) => Borrow($"{name}.{i}", t)).ToList();

    public Tensor Resolve(TensorHandle handle)
    {
        if (handle.Node != Node) throw new InvalidOperationException($"{handle} lives on node {handle.Node}; this is {Node} (stream it instead)");
        return _entries.TryGetValue(handle.Id, out var entry)
            ? entry.Tensor
            : throw new InvalidOperationException($"{handle} was already released");
    }

    public IReadOnlyList<Tensor> ResolveAll(IReadOnlyList<TensorHandle> handles) => handles.Select(Resolve).ToList();

    public void Release(TensorHandle handle)
    {
        if (!_entries.TryGetValue(handle.Id, out var entry)) return;
        if (Interlocked.Decrement(ref entry.Leases) > 0) return;
        if (_entries.TryRemove(handle.Id, out _) && entry.Owned) entry.Tensor.Dispose();
    }

    public void ReleaseAll(IEnumerable<TensorHandle> handles)
    {
        foreach (var h in handles) Release(h);
    }

    /// <summary>Drops everything (a stage that failed mid-cycle leaves handles behind; the retried cycle starts clean).</summary>
    public void Clear()
    {
        foreach (var id in _entries.Keys)
            if (_entries.TryRemove(id, out var entry) && entry.Owned) entry.Tensor.Dispose();
    }

    private TensorHandle Add(string name, Tensor tensor, bool owned, int leases)
    {
        var handle = new TensorHandle(Guid.NewGuid(), name, tensor.shape, tensor.dtype.ToString(), tensor.device.ToString(), Node);
        _entries[handle.Id] = new Entry(tensor, owned, leases);
        return handle;
    }
}

/// <summary>One <see cref="TensorStore"/> per actor system (= per node).</summary>
public sealed class TensorStoreExtension : ExtensionIdProvider<TensorStore>
{
    public static readonly TensorStoreExtension Instance = new();

    public override TensorStore CreateExtension(ExtendedActorSystem system) => new(system.Provider.DefaultAddress.ToString());

    public static TensorStore For(ActorSystem system) => system.WithExtension<TensorStore, TensorStoreExtension>();
}
