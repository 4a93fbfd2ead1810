using Converge.Configuration;

namespace Converge.Cli;

/// <summary>
/// What a command reads and writes besides its arguments. The process passes the real console
/// and environment; tests pass writers, an input text and an environment of their own.
/// </summary>
internal sealed class CommandLineContext
{
    public required TextReader Input { get; init; }

    public required TextWriter Output { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Whether <see cref="Input"/> is a terminal a person types at (then passwords are prompted for without echo).</summary>
    public bool InputIsTerminal { get; init; }

    /// <summary>Whether <see cref="Output"/> is a terminal (then long commands draw a progress bar in place).</summary>
    public bool OutputIsTerminal { get; init; }

    /// <summary>Reads a secret from the terminal without echoing it; null when the person gave up (end of input).</summary>
    public Func<string, string?> ReadSecret { get; init; } = _ => null;

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public static CommandLineContext FromConsole() => new()
    {
        Input = Console.In,
        Output = Console.Out,
        Error = Console.Error,
        InputIsTerminal = !Console.IsInputRedirected,
        OutputIsTerminal = !Console.IsOutputRedirected,
        ReadSecret = TerminalSecret.Read,
        Environment = ConfigurationLoader.ProcessEnvironment(),
    };
}
