using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecurrentKif.Client.Wire;

/// <summary>
/// The JSON settings every RecurrentKif wire serializer shares (docs/security.md, "Wire contract"): plain data by
/// declared type (no type names from the wire, so the sender chooses no class to instantiate), NaN and infinities as
/// named literals (losses and accuracies may be NaN), enums as names.
/// </summary>
public static class WireJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Options with extra converters (actor and stream references, which need the receiving ActorSystem).</summary>
    public static JsonSerializerOptions Create(params JsonConverter[] converters)
    {
        var options = new JsonSerializerOptions
        {
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Converters = { new JsonStringEnumConverter() },
        };
        foreach (var converter in converters) options.Converters.Add(converter);
        return options;
    }
}
