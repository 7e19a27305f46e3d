using RecurrentKif.Actors.Tensors;
using static TorchSharp.torch;

namespace RecurrentKif.Actors.Tests.Tensors;

/// <summary>The node's tensor store (docs/architecture.md §8): ownership, leases, borrowing, and the count a leak check reads.</summary>
public sealed class TensorStoreTests
{
    private readonly TensorStore _store = new("node-a");

    [Fact]
    public void Put_resolves_to_the_same_tensor_and_the_last_release_disposes_it()
    {
        var tensor = ones(2, 3);
        var handle = _store.Put("theta-q.0", tensor, leases: 2);
        Assert.Equal(1, _store.Count);
        Assert.Same(tensor, _store.Resolve(handle));
        Assert.Equal([2L, 3L], handle.Shape);
        Assert.Equal("node-a", handle.Node);

        _store.Release(handle);
        Assert.Equal(1, _store.Count);
        Assert.False(tensor.IsInvalid);
        _store.Release(handle);
        Assert.Equal(0, _store.Count);
        Assert.True(tensor.IsInvalid);   // owned: disposed with the last lease
        Assert.Throws<InvalidOperationException>(() => _store.Resolve(handle));
        _store.Release(handle);   // a late release is harmless
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public void A_borrowed_tensor_is_never_disposed_by_the_store()
    {
        using var live = zeros(4);
        var handle = _store.Borrow("theta.0", live);
        Assert.Same(live, _store.Resolve(handle));
        _store.Release(handle);
        Assert.Equal(0, _store.Count);
        Assert.False(live.IsInvalid);
    }

    [Fact]
    public void A_handle_of_another_node_is_refused()
    {
        var other = new TensorStore("node-b");
        var handle = other.Put("x", ones(1));
        var e = Assert.Throws<InvalidOperationException>(() => _store.Resolve(handle));
        Assert.Contains("node-b", e.Message);
        other.Clear();
    }

    [Fact]
    public void PutAll_and_ResolveAll_keep_order_and_Clear_drops_everything_disposing_only_what_it_owns()
    {
        var owned = new[] { ones(1), ones(2), ones(3) };
        using var live = zeros(5);
        var handles = _store.PutAll("score", owned);
        var borrowed = _store.BorrowAll("theta", [live]);
        Assert.Equal(["score.0", "score.1", "score.2"], handles.Select(h => h.Name));
        Assert.Equal(owned, _store.ResolveAll(handles));
        Assert.Equal(4, _store.Count);

        _store.ReleaseAll(handles.Take(1));
        Assert.Equal(3, _store.Count);
        _store.Clear();
        Assert.Equal(0, _store.Count);
        Assert.All(owned, t => Assert.True(t.IsInvalid));
        Assert.False(live.IsInvalid);
        Assert.Throws<InvalidOperationException>(() => _store.Resolve(borrowed[0]));
    }
}
