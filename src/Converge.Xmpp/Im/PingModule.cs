using Converge.Xmpp.Routing;
using Converge.Xmpp.Streams;

namespace Converge.Xmpp.Im;

/// <summary>XEP-0199: the server answers pings addressed to it or to an account.</summary>
internal static class PingModule
{
    public static void Register(IqHandlerTable iq)
    {
        iq.Register(IqTarget.Server, "ping", Namespaces.Ping, PongAsync);
        iq.Register(IqTarget.Account, "ping", Namespaces.Ping, PongAsync);
    }

    private static ValueTask PongAsync(IqContext context) =>
        context.IsSet ? context.ErrorAsync("bad-request") : context.ResultAsync();
}
