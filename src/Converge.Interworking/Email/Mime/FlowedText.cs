using System.Text;

namespace Converge.Interworking.Email;

/// <summary>
/// text/plain; format=flowed (RFC 3676), as Apple Mail and Thunderbird send it: a line ending in a
/// space continues on the next line of the same quote depth; "delsp=yes" removes that space.
/// </summary>
internal static class FlowedText
{
    public static string Unflow(string text, bool deleteSpace)
    {
        var lines = text.Split('\n');
        var result = new StringBuilder(text.Length);
        var paragraph = new StringBuilder();
        var paragraphDepth = -1;
        foreach (var raw in lines)
        {
            var depth = 0;
            while (depth < raw.Length && raw[depth] == '>')
            {
                depth++;
            }

            var line = raw[depth..];
            if (line.StartsWith(' '))
            {
                line = line[1..]; // space-stuffing (RFC 3676 §4.4)
            }

            if (paragraphDepth >= 0 && depth != paragraphDepth)
            {
                EndParagraph(); // quote depth changed: a flowed paragraph never spans it (§4.5)
            }

            paragraphDepth = depth;
            var flowed = line.EndsWith(' ') && line != "-- ";
            if (flowed && deleteSpace)
            {
                line = line[..^1];
            }

            paragraph.Append(line);
            if (!flowed)
            {
                EndParagraph();
            }
        }

        if (paragraph.Length > 0)
        {
            EndParagraph();
        }

        return result.ToString().TrimEnd('\n');

        void EndParagraph()
        {
            if (paragraphDepth > 0)
            {
                result.Append('>', paragraphDepth).Append(' ');
            }

            result.Append(paragraph).Append('\n');
            paragraph.Clear();
            paragraphDepth = -1;
        }
    }
}
