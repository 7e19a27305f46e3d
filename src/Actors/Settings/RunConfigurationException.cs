namespace RecurrentKif.Actors.Settings;

/// <summary>A run configuration is invalid; the message names the file and the key.</summary>
public sealed class RunConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
