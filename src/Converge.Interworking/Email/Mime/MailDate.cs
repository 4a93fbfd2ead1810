using System.Globalization;
using System.Text;

namespace Converge.Interworking.Email;

/// <summary>RFC 5322 §3.3 date-time, including the obsolete forms of §4.3 (two-digit years, zone names).</summary>
internal static class MailDate
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>Formats as RFC 5322: <c>Mon, 04 Mar 2024 10:00:00 +0100</c>.</summary>
    public static string Format(DateTimeOffset date)
    {
        var offset = date.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{date:ddd, dd MMM yyyy HH:mm:ss} {sign}{abs.Hours:00}{abs.Minutes:00}");
    }

    public static bool TryParse(string? text, out DateTimeOffset date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var words = Tokenize(text);
        var index = 0;
        if (index < words.Count && words[index].Length >= 3 && char.IsLetter(words[index][0]))
        {
            index++; // day of week, checked by nobody
        }

        if (words.Count - index < 4)
        {
            return Fallback(text, out date);
        }

        if (!int.TryParse(words[index], NumberStyles.None, CultureInfo.InvariantCulture, out var day))
        {
            return Fallback(text, out date);
        }

        var month = Array.IndexOf(Months, words[index + 1].Length >= 3 ? words[index + 1][..3].ToLowerInvariant() : string.Empty) + 1;
        if (month == 0 || !int.TryParse(words[index + 2], NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            return Fallback(text, out date);
        }

        year = words[index + 2].Length switch
        {
            2 => year < 50 ? 2000 + year : 1900 + year, // RFC 5322 §4.3
            3 => 1900 + year,
            _ => year,
        };

        var time = words[index + 3].Split(':');
        if (time.Length is < 2 or > 3
            || !int.TryParse(time[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hour)
            || !int.TryParse(time[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minute))
        {
            return Fallback(text, out date);
        }

        var second = 0;
        if (time.Length == 3 && !int.TryParse(time[2], NumberStyles.None, CultureInfo.InvariantCulture, out second))
        {
            return Fallback(text, out date);
        }

        var zone = index + 4 < words.Count ? ParseZone(words[index + 4]) : TimeSpan.Zero;
        try
        {
            date = new DateTimeOffset(year, month, day, hour, minute, Math.Min(second, 59), zone ?? TimeSpan.Zero);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static TimeSpan? ParseZone(string zone)
    {
        if (zone.Length == 5 && zone[0] is '+' or '-'
            && int.TryParse(zone.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            && int.TryParse(zone.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            && hours < 24 && minutes < 60)
        {
            var offset = new TimeSpan(hours, minutes, 0);
            return zone[0] == '-' ? -offset : offset;
        }

        return zone.ToUpperInvariant() switch
        {
            "UT" or "UTC" or "GMT" or "Z" => TimeSpan.Zero,
            "EST" => TimeSpan.FromHours(-5),
            "EDT" => TimeSpan.FromHours(-4),
            "CST" => TimeSpan.FromHours(-6),
            "CDT" => TimeSpan.FromHours(-5),
            "MST" => TimeSpan.FromHours(-7),
            "MDT" => TimeSpan.FromHours(-6),
            "PST" => TimeSpan.FromHours(-8),
            "PDT" => TimeSpan.FromHours(-7),
            _ => null, // military zones and others: RFC 5322 §4.3 says treat as -0000
        };
    }

    private static List<string> Tokenize(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var position = 0;
        while (position < text.Length)
        {
            var c = text[position];
            if (c == '(')
            {
                MimeParameters.SkipComment(text, ref position);
                Flush();
                continue;
            }

            if (char.IsWhiteSpace(c) || c == ',')
            {
                Flush();
            }
            else
            {
                current.Append(c);
            }

            position++;
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
    }

    private static bool Fallback(string text, out DateTimeOffset date) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out date);
}
