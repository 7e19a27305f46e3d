namespace RecurrentKif.Gpu.Models;

/// <summary>A model folder, checkpoint or adapter could not be read; the message says which file and what is wrong.</summary>
public sealed class ModelLoadException(string message, Exception? inner = null) : Exception(message, inner);
