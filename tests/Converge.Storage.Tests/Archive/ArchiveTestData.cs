using Converge.Core.Addressing;
using Converge.Core.Storage;

namespace Converge.Storage.Tests.Archive;

internal static class ArchiveTestData
{
    public static DateTimeOffset Noon { get; } = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static Jid Alice { get; } = Jid.Parse("alice@a.example");
    public static Jid Bob { get; } = Jid.Parse("bob@b.example");
    public static Jid Carol { get; } = Jid.Parse("carol@a.example");
    public static Jid Peter { get; } = Jid.Parse("+4915112345678@a.example");

    /// <summary>Message number <paramref name="n"/>, archived <paramref name="n"/> seconds after noon.</summary>
    public static ArchiveEntry Entry(Jid owner, Jid with, int n, string? thread = null, bool outgoing = false) =>
        new(owner, with, Noon.AddSeconds(n), outgoing, thread, Xml(n));

    public static string Xml(int n) => $"<message xmlns='jabber:client' id='m{n}'><body>{n}</body></message>";

    /// <summary>Reads back the n of <see cref="Xml"/>.</summary>
    public static int Number(ArchivedMessage message)
    {
        var start = message.StanzaXml.IndexOf("<body>", StringComparison.Ordinal) + "<body>".Length;
        var end = message.StanzaXml.IndexOf("</body>", StringComparison.Ordinal);
        return int.Parse(message.StanzaXml[start..end], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static IEnumerable<int> Numbers(ArchivePage page) => page.Messages.Select(Number);
}
