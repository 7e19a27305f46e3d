using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>Copies a weight source's tensors into a freshly built model's parameters, checking every shape.</summary>
public static class ParameterLoading
{
    /// <param name="sourceOf">The stored tensor name a parameter reads (the parameter's own name unless aliased).</param>
    public static void CopyInto(IEnumerable<(string Name, Parameter Parameter)> parameters, IWeightSource weights, ScalarType weightDtype, Func<string, string> sourceOf)
    {
        using var _ = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            string source = sourceOf(name);
            using var loaded = weights.Load(source, weightDtype);
            if (!loaded.shape.SequenceEqual(parameter.shape))
                throw new ModelLoadException(
                    $"{weights.Description}: tensor '{source}' has shape [{string.Join(",", loaded.shape)}], the config implies [{string.Join(",", parameter.shape)}]");
            parameter.copy_(loaded);
        }
    }
}
