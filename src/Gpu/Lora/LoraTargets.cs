using System.Text.RegularExpressions;

namespace RecurrentKif.Gpu.Lora;

/// <summary>
/// Which linear layers a <see cref="LoraSettings"/> adapts, by PEFT's rules for target_modules (docs/merging.md §3):
/// a list matches a module path equal to one of its names or ending in "." + a name; a string is a regular expression
/// that must match the whole path; "all-linear" is every linear layer except the output head.
/// </summary>
public static class LoraTargets
{
    /// <summary>PEFT's shorthand for every linear layer but the output head.</summary>
    public const string AllLinear = "all-linear";

    /// <summary>The output head's module path in both families (LLaMA and T5 call it lm_head).</summary>
    public const string OutputHead = "lm_head";

    public static bool Matches(LoraSettings settings, string modulePath)
    {
        if (settings.TargetPattern is null)
            return settings.TargetModules.Any(name => modulePath == name || modulePath.EndsWith("." + name, StringComparison.Ordinal));
        if (settings.TargetPattern == AllLinear) return modulePath != OutputHead;
        return CompilePattern(settings.TargetPattern).IsMatch(modulePath);
    }

    /// <summary>
    /// The pattern anchored at both ends, as Python's re.fullmatch reads it. An invalid pattern throws an
    /// ArgumentException that quotes it.
    /// </summary>
    public static Regex CompilePattern(string pattern)
    {
        try
        {
            return new Regex($@"\A(?:{pattern})\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"LoRA target pattern \"{pattern}\" is not a valid regular expression ({e.Message})", e);
        }
    }
}
