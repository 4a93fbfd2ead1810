using System.Globalization;

namespace Converge.Bench.Cli;

/// <summary>A wrong or missing command-line value; the message names the option.</summary>
internal sealed class UsageException(string message) : Exception(message)
{
    public UsageException()
        : this("invalid arguments")
    {
    }

    public UsageException(string message, Exception innerException)
        : this(message + ": " + innerException.Message)
    {
    }
}

/// <summary>"--name value" pairs (and bare "--flag") after the subcommand; every option must be used.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public Arguments(IEnumerable<string> args)
    {
        string? pending = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending is not null)
                {
                    _values[pending] = "true";
                }

                var equals = arg.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    _values[arg[2..equals]] = arg[(equals + 1)..];
                    pending = null;
                }
                else
                {
                    pending = arg[2..];
                }
            }
            else if (pending is not null)
            {
                _values[pending] = arg;
                pending = null;
            }
            else
            {
                throw new UsageException($"unexpected argument '{arg}'");
            }
        }

        if (pending is not null)
        {
            _values[pending] = "true";
        }
    }

    public string String(string name, string fallback) => Raw(name) ?? fallback;

    public string? OptionalString(string name) => Raw(name);

    public int Int(string name, int fallback, int min = 1)
    {
        var raw = Raw(name);
        if (raw is null)
        {
            return fallback;
        }

        return int.TryParse(raw.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new UsageException($"--{name}: '{raw}' is not a whole number >= {min}");
    }

    public int? OptionalInt(string name) => Raw(name) is null ? null : Int(name, 0, 0);

    public double? OptionalDouble(string name)
    {
        var raw = Raw(name);
        if (raw is null)
        {
            return null;
        }

        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new UsageException($"--{name}: '{raw}' is not a positive number");
    }

    /// <summary>A duration: "20" or "20s" seconds, "500ms", "2m".</summary>
    public TimeSpan Duration(string name, TimeSpan fallback)
    {
        var raw = Raw(name);
        if (raw is null)
        {
            return fallback;
        }

        var (number, scale) = raw switch
        {
            _ when raw.EndsWith("ms", StringComparison.Ordinal) => (raw[..^2], 0.001),
            _ when raw.EndsWith('s') => (raw[..^1], 1.0),
            _ when raw.EndsWith('m') => (raw[..^1], 60.0),
            _ => (raw, 1.0),
        };
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? TimeSpan.FromSeconds(value * scale)
            : throw new UsageException($"--{name}: '{raw}' is not a duration like 20s or 500ms");
    }

    public bool Flag(string name, bool fallback = false)
    {
        var raw = Raw(name);
        return raw switch
        {
            null => fallback,
            "true" or "yes" or "1" => true,
            "false" or "no" or "0" => false,
            _ => throw new UsageException($"--{name}: '{raw}' is not true or false"),
        };
    }

    /// <summary>Refuses options nobody asked for: a typo must not silently run the default.</summary>
    public void EnsureAllUsed()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException("unknown option(s): " + string.Join(", ", unknown.Select(k => "--" + k)));
        }
    }

    private string? Raw(string name)
    {
        _used.Add(name);
        return _values.GetValueOrDefault(name);
    }
}
