using System.Reflection;

namespace Converge.Hosting;

internal static class ConvergeVersion
{
    /// <summary>The informational version ("0.1.0+commit") the build stamped on this assembly.</summary>
    public static string Text { get; } =
        typeof(ConvergeVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ConvergeVersion).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
