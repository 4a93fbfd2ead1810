using Converge.Xmpp.Routing;
using Converge.Xmpp.Streams;

namespace Converge.Xmpp.Im;

/// <summary>
/// RFC 3921 session establishment, kept as a no-op by RFC 6121 and advertised as optional: clients
/// built on Strophe (Converse.js) send it right after binding, on a bound stream, and give up on the
/// login when it fails. Before binding the connection answers it itself.
/// </summary>
internal static class SessionModule
{
    public static void Register(IqHandlerTable iq)
    {
        iq.Register(IqTarget.Server, "session", Namespaces.Session, EstablishAsync);
        iq.Register(IqTarget.Account, "session", Namespaces.Session, EstablishAsync);
    }

    private static ValueTask EstablishAsync(IqContext context) =>
        context.IsSet && context.IsOwnAccount ? context.ResultAsync() : context.ErrorAsync("bad-request");
}
