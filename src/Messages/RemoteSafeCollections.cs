namespace RecurrentKif.Messages;

/// <summary>
/// Messages that cross nodes go through Akka's default serializer (Newtonsoft JSON with type names). It writes a
/// collection's concrete type and needs a constructor for it on the way back in, which the compiler's types behind
/// collection expressions (<c>IReadOnlyList&lt;T&gt; x = [..]</c>) and <c>ReadOnlyCollection&lt;T&gt;</c> do not have: such
/// a message is silently dropped by the receiving node. These helpers copy into plain arrays, which round-trip.
/// </summary>
public static class RemoteSafeCollections
{
    /// <summary>The same status with every list an array; send this one to another node.</summary>
    public static RunStatus WithPlainCollections(this RunStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status with
        {
            // ToArray, not [.. x]: a collection expression typed IReadOnlyList<T> is exactly what does not round-trip.
            TaskNames = status.TaskNames.ToArray(),
            AccuracyRows = status.AccuracyRows.Select(row => (IReadOnlyList<double>)row.ToArray()).ToArray(),
            Learners = status.Learners.ToArray(),
        };
    }
}
