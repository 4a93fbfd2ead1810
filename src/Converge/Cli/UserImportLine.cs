namespace Converge.Cli;

/// <summary>
/// One line of a <c>user import</c> file: <c>jid,password[,msisdn[,email]]</c>. Fields may be quoted
/// ("a,b" and "" for a quote inside), so a password may hold a comma.
/// </summary>
internal static class UserImportLine
{
    public const int MaxLineLength = 4096;

    /// <summary>The fields of <paramref name="line"/>, or null with the reason when it is malformed.</summary>
    public static List<string>? Split(string line, out string? problem)
    {
        problem = null;
        if (line.Length > MaxLineLength)
        {
            problem = $"longer than {MaxLineLength} characters";
            return null;
        }

        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            problem = "a quoted field is not closed";
            return null;
        }

        fields.Add(field.ToString());
        if (fields.Count is < 2 or > 4 || fields[0].Length == 0 || fields[1].Length == 0)
        {
            problem = "expected jid,password[,msisdn[,email]]";
            return null;
        }

        return fields;
    }

    /// <summary>Whether the first line is a header (its first field says jid) rather than a user.</summary>
    public static bool IsHeader(string line) => line.TrimStart('\uFEFF').StartsWith("jid", StringComparison.OrdinalIgnoreCase)
        && (line.Length == 3 || line.TrimStart('\uFEFF')[3] is ',' or ' ');
}
