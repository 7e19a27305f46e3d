namespace RecurrentKif.Actors.Tensors;

/// <summary>
/// A reference to a tensor owned by a node's TensorStore: what travels in messages instead of the tensor itself.
/// In the same process it resolves to the very same tensor (no copy); the holder of a lease releases it when done.
/// It means nothing in another process, so it lives here and not with the wire messages of src/Messages (docs/security.md).
/// </summary>
public sealed record TensorHandle(Guid Id, string Name, long[] Shape, string DType, string Device, string Node)
{
    public override string ToString() => $"{Name}[{string.Join("x", Shape)}] {DType}@{Device} ({Id:N})";
}
