using Converge.Core.Addressing;

namespace Converge.Xmpp.Pep;

/// <summary>A disco#info the server sent to learn an unknown 'ver': whom it asked, what it expects, and when.</summary>
internal sealed record CapsQuery(Jid Resource, string Ver, string? Hash, long SentTicks);
