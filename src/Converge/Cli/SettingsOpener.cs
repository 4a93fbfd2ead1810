using Converge.Configuration;

namespace Converge.Cli;

/// <summary>Loads the configuration for a command, or says on stderr why it cannot (the command then exits with <see cref="ExitCodes.Configuration"/>).</summary>
internal static class SettingsOpener
{
    public static async Task<ConvergeSettings?> TryLoadAsync(string? configFile, CommandLineContext context)
    {
        try
        {
            return ConfigurationLoader.Load(configFile, context.Environment).Settings;
        }
        catch (ConfigurationException e)
        {
            await context.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return null;
        }
    }
}
