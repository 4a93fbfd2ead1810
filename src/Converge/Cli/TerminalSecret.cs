using System.Text;

namespace Converge.Cli;

/// <summary>Reads a line from the terminal without echoing it (for passwords).</summary>
internal static class TerminalSecret
{
    public static string? Read(string prompt)
    {
        Console.Error.Write(prompt);
        var secret = new StringBuilder();
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                switch (key.Key)
                {
                    case ConsoleKey.Enter:
                        return secret.ToString();
                    case ConsoleKey.Backspace:
                        if (secret.Length > 0)
                        {
                            secret.Length--;
                        }

                        break;
                    default:
                        if (key.KeyChar == '\u0004' && secret.Length == 0)
                        {
                            return null;
                        }

                        if (!char.IsControl(key.KeyChar))
                        {
                            secret.Append(key.KeyChar);
                        }

                        break;
                }
            }
        }
        finally
        {
            Console.Error.WriteLine();
        }
    }
}
