using Microsoft.Extensions.Configuration;

namespace Converge.Configuration;

/// <param name="Root">Everything read, for sections owned by libraries (Logging).</param>
/// <param name="Settings">The validated Converge settings.</param>
internal sealed record LoadedConfiguration(IConfigurationRoot Root, ConvergeSettings Settings);
