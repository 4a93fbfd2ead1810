using System.Globalization;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.GroupChat;

/// <summary>
/// The last messages of a room, sent to a new occupant (XEP-0045 §7.2.15), in a fixed-size ring:
/// a busy room never holds more than its configured size.
/// </summary>
internal sealed class RoomHistory(int capacity)
{
    private readonly Queue<(XmlElement Message, DateTimeOffset Stamp)> _messages = new();

    public int Capacity { get; set; } = capacity;

    public void Add(XmlElement message, DateTimeOffset stamp)
    {
        if (Capacity <= 0)
        {
            _messages.Clear();
            return;
        }

        _messages.Enqueue((message, stamp));
        while (_messages.Count > Capacity)
        {
            _messages.Dequeue();
        }
    }

    /// <summary>
    /// What a joining occupant asked for in <c>&lt;history/&gt;</c>: at most maxstanzas, at most maxchars
    /// of XML counted from the newest, no older than 'seconds' or 'since'; everything kept when it asked nothing.
    /// </summary>
    public IReadOnlyList<(XmlElement Message, DateTimeOffset Stamp)> Select(XmlElement? request, DateTimeOffset now)
    {
        var maxStanzas = Number(request?.GetAttribute("maxstanzas")) ?? int.MaxValue;
        var maxChars = Number(request?.GetAttribute("maxchars")) ?? int.MaxValue;
        var seconds = Number(request?.GetAttribute("seconds"));
        DateTimeOffset? since = DateTimeOffset.TryParse(request?.GetAttribute("since"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var s) ? s : null;
        if (seconds is { } secs)
        {
            var cut = now - TimeSpan.FromSeconds(secs);
            since = since is null || cut > since ? cut : since;
        }

        var chosen = new List<(XmlElement, DateTimeOffset)>();
        var chars = 0;
        foreach (var entry in _messages.Reverse())
        {
            if (chosen.Count >= maxStanzas || (since is { } from && entry.Stamp < from))
            {
                break;
            }

            chars += XmlWriter.ToXmlString(entry.Message).Length;
            if (chars > maxChars)
            {
                break;
            }

            chosen.Add(entry);
        }

        chosen.Reverse();
        return chosen;
    }

    private static int? Number(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
