using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// Command-line flags that are shorthands for rkif.* keys (<c>--lr</c> for <c>training.learning-rate</c>): they have no
/// default of their own, so every default lives in hocon/reference.conf, and a flag given on the command line becomes
/// the override <c>rkif.key = value</c>, which wins over the file and <c>--set</c>. Each flag's help names its key.
/// </summary>
public sealed class SettingFlags
{
    private readonly List<(Option Option, string Key, Func<ParseResult, string> Value)> _flags = [];

    /// <summary>Registers <paramref name="option"/> as the shorthand of <c>rkif.</c><paramref name="key"/>.</summary>
    public Option<T> Add<T>(Option<T> option, string key, Func<T, string>? hocon = null)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Description = string.IsNullOrEmpty(option.Description) ? $"(sets rkif.{key})" : $"{option.Description} (sets rkif.{key})";
        _flags.Add((option, key, parse => (hocon ?? Hocon)(parse.GetValue(option)!)));
        return option;
    }

    /// <summary>The overrides of the flags given on the command line, in the order they were registered.</summary>
    public IReadOnlyList<string> Overrides(ParseResult parse) =>
        [.. _flags.Where(f => parse.GetResult(f.Option) is { Implicit: false }).Select(f => $"rkif.{f.Key} = {f.Value(parse)}")];

    /// <summary>A value as HOCON: numbers and booleans as they are, everything else a quoted string.</summary>
    public static string Hocon<T>(T value) => value switch
    {
        bool b => b ? "on" : "off",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    /// <summary>A comma-separated flag value ("q_proj,v_proj") as a HOCON list of strings.</summary>
    public static string HoconList(string commaSeparated) =>
        "[" + string.Join(", ", commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => JsonSerializer.Serialize(v))) + "]";
}
