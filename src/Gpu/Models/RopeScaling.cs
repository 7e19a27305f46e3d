using System.Text.Json.Nodes;

namespace RecurrentKif.Gpu.Models;

/// <summary>
/// The rope_scaling block of a HF config. LLaMA-2 has none; "linear" divides positions by a factor;
/// "llama3" (LLaMA-3.1+) rescales the inverse frequencies by wavelength band.
/// </summary>
public sealed record RopeScaling(string Type, double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositionEmbeddings)
{
    public static RopeScaling? FromJson(JsonNode? node, string source)
    {
        if (node is not JsonObject json) return null;
        string type = (json["rope_type"] ?? json["type"])?.GetValue<string>() ?? "default";
        if (type == "default") return null;
        if (type is not ("linear" or "llama3"))
            throw new ModelLoadException($"{source}: rope_scaling type '{type}' is not supported (supported: linear, llama3)");
        return new RopeScaling(
            type,
            json["factor"]?.GetValue<double>() ?? 1.0,
            json["low_freq_factor"]?.GetValue<double>() ?? 1.0,
            json["high_freq_factor"]?.GetValue<double>() ?? 4.0,
            json["original_max_position_embeddings"]?.GetValue<int>() ?? 8192);
    }

    public JsonObject ToJson() => new()
    {
        ["rope_type"] = Type,
        ["factor"] = Factor,
        ["low_freq_factor"] = LowFreqFactor,
        ["high_freq_factor"] = HighFreqFactor,
        ["original_max_position_embeddings"] = OriginalMaxPositionEmbeddings,
    };

    /// <summary>Applies the scaling to the base inverse frequencies θ^(-2i/d).</summary>
    public double[] Apply(double[] inverseFrequencies)
    {
        if (Type == "linear") return inverseFrequencies.Select(f => f / Factor).ToArray();
        double lowWavelength = OriginalMaxPositionEmbeddings / LowFreqFactor;
        double highWavelength = OriginalMaxPositionEmbeddings / HighFreqFactor;
        return inverseFrequencies.Select(f =>
        {
            double wavelength = 2 * Math.PI / f;
            if (wavelength < highWavelength) return f;
            if (wavelength > lowWavelength) return f / Factor;
            double smooth = (OriginalMaxPositionEmbeddings / wavelength - LowFreqFactor) / (HighFreqFactor - LowFreqFactor);
            return (1 - smooth) * f / Factor + smooth * f;
        }).ToArray();
    }
}
