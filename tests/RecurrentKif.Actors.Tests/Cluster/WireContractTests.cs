using System.Reflection;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Messages;

namespace RecurrentKif.Actors.Tests.Cluster;

/// <summary>
/// Everything that crosses a node or goes into the journal is plain data in RecurrentKif.Messages (docs/security.md §6,
/// docs/architecture.md §4.3): no record there may hold a type of the Gpu project or of TorchSharp, at any depth of
/// generic arguments, arrays or nullables.
/// </summary>
public sealed class WireContractTests
{
    private static readonly Assembly[] Forbidden = [typeof(CheckpointReference).Assembly, typeof(TorchSharp.torch).Assembly];

    [Fact]
    public void No_message_holds_a_Gpu_or_TorchSharp_type()
    {
        var messages = typeof(TaskSummary).Assembly;
        Assert.Contains(typeof(ShardFinished), messages.GetExportedTypes());
        var offending = messages.GetExportedTypes().SelectMany(ForeignMembers).ToList();
        Assert.True(offending.Count == 0, "RecurrentKif.Messages holds Gpu or TorchSharp types: " + string.Join("; ", offending));
    }

    /// <summary>The check itself finds such a member, however deep in a generic argument it hides.</summary>
    [Fact]
    public void The_check_finds_a_Gpu_or_TorchSharp_type_in_a_member()
    {
        Assert.Contains($"{typeof(WithShares).FullName}. Shares: IReadOnlyList`1", ForeignMembers(typeof(WithShares)));
        Assert.DoesNotContain(ForeignMembers(typeof(WithShares)), m => m.Contains("Step", StringComparison.Ordinal));
        Assert.NotEmpty(ForeignMembers(typeof(WithTensors)));
        Assert.NotEmpty(ForeignMembers(typeof(WithReference)));
        Assert.Empty(ForeignMembers(typeof(CheckpointFile)));
    }

    private sealed record WithShares(int Step, IReadOnlyList<MaskShares> Shares);
    private sealed record WithTensors(Dictionary<string, TorchSharp.torch.Tensor[]> Tensors);
    private sealed record WithReference(CheckpointReference? Reference);

    /// <summary>"Type. Member: member type" for each field or property (public or not) whose type involves a forbidden assembly.</summary>
    private static IEnumerable<string> ForeignMembers(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var members = type.GetFields(all).Select(f => (f.Name, Type: f.FieldType))
            .Concat(type.GetProperties(all).Select(p => (p.Name, Type: p.PropertyType)));
        return members.Where(m => Involves(m.Type)).Select(m => $"{type.FullName}. {m.Name}: {m.Type.Name}").Distinct();
    }

    private static bool Involves(Type type) =>
        Forbidden.Contains(type.Assembly)
        || (type.HasElementType && Involves(type.GetElementType()!))
        || (type.IsGenericType && type.GetGenericArguments().Any(Involves));
}
