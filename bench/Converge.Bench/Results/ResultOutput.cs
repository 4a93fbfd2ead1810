using System.Globalization;
using System.Text.Json;

namespace Converge.Bench.Results;

/// <summary>Writes a result as a human table on stdout and, when asked, as JSON.</summary>
internal static class ResultOutput
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static void WriteTable(TextWriter output, ScenarioResult result)
    {
        output.WriteLine();
        output.WriteLine($"{result.Scenario} against {result.Server} ({string.Join(", ", result.Parameters.Select(p => $"{p.Key}={p.Value}"))})");
        if (!result.Available)
        {
            output.WriteLine("  not available yet");
        }

        foreach (var metric in result.Metrics)
        {
            var value = metric.Value is { } v ? v.ToString(Format(v), CultureInfo.InvariantCulture) : "-";
            output.WriteLine($"  {metric.Name,-36} {value,14} {metric.Unit}");
        }

        foreach (var note in result.Notes)
        {
            output.WriteLine($"  note: {note}");
        }
    }

    public static async Task WriteJsonAsync(string path, ScenarioResult result)
    {
        var stream = File.Create(path);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, result, Json).ConfigureAwait(false);
        }
    }

    private static string Format(double value) => Math.Abs(value) switch
    {
        >= 1000 => "0",
        >= 10 => "0.0",
        _ => "0.00#",
    };
}
