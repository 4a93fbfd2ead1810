namespace Converge.Configuration;

/// <summary>A configuration value the server refuses to start with. <see cref="Exception.Message"/> is one line.</summary>
internal sealed class ConfigurationException(string key, string problem, Exception? innerException = null)
    : Exception($"configuration error: {key}: {problem}", innerException)
{
    /// <summary>The key as the documentation writes it, e.g. "Listeners.Client".</summary>
    public string Key { get; } = key;

    public string Problem { get; } = problem;
}
