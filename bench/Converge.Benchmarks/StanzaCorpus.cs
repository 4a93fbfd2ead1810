using System.Text;

namespace Converge.Benchmarks;

/// <summary>A client stream as a server reads it: the header, then a realistic mix of stanzas.</summary>
internal static class StanzaCorpus
{
    public const string Header =
        "<?xml version='1.0'?><stream:stream to='a.example' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' xml:lang='en'>";

    /// <summary>What chat clients send most: messages with chat states and receipts, presence with caps, roster and ping iqs.</summary>
    public static readonly string[] Stanzas =
    [
        "<message to='bob@a.example' type='chat' id='m1a2b3c4'><body>Are we still on for lunch at noon? I can book the table by the window.</body><active xmlns='http://jabber.org/protocol/chatstates'/><request xmlns='urn:xmpp:receipts'/><origin-id xmlns='urn:xmpp:sid:0' id='5f0c2a1e-0c5e-4d4e-9d1a-0f7c2d2b8e11'/></message>",
        "<message to='bob@a.example' type='chat' id='m1a2b3c5'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>",
        "<message to='carol@a.example/phone' type='chat' id='m1a2b3c6'><body>Sure &amp; thanks &#x2014; see you there &lt;3</body><thread>7d1b8a5e</thread><active xmlns='http://jabber.org/protocol/chatstates'/></message>",
        "<message to='bob@a.example/laptop' id='r9'><received xmlns='urn:xmpp:receipts' id='m1a2b3c4'/></message>",
        "<presence><show>away</show><status>In a meeting until 3</status><priority>5</priority><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://gajim.org' ver='QqNBuLkwyULJsbkN5g6WZ53rgeE='/></presence>",
        "<iq type='get' id='roster_1'><query xmlns='jabber:iq:roster' ver='ver14'/></iq>",
        "<iq type='get' to='a.example' id='ping_7'><ping xmlns='urn:xmpp:ping'/></iq>",
        "<iq type='result' to='a.example' id='s2c1'/>",
    ];

    /// <summary>The header followed by <paramref name="count"/> stanzas cycling through <see cref="Stanzas"/>.</summary>
    public static byte[] Stream(int count)
    {
        var text = new StringBuilder(Header);
        for (var i = 0; i < count; i++)
        {
            text.Append(Stanzas[i % Stanzas.Length]);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
