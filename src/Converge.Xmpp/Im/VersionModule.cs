using System.Reflection;
using Converge.Xmpp.Routing;
using Converge.Xmpp.Streams;
using Converge.Xmpp.Xml;

namespace Converge.Xmpp.Im;

/// <summary>XEP-0092 software version of the server (name and version only; the OS is not disclosed).</summary>
internal static class VersionModule
{
    public static void Register(IqHandlerTable iq) => iq.Register(IqTarget.Server, "query", Namespaces.Version, AnswerAsync);

    private static ValueTask AnswerAsync(IqContext context)
    {
        if (context.IsSet)
        {
            return context.ErrorAsync("bad-request");
        }

        var query = new XmlElement("query", Namespaces.Version);
        query.AddElement("name").AddText("Converge");
        query.AddElement("version").AddText(typeof(VersionModule).Assembly.GetName().Version?.ToString(3) ?? "0.1.0");
        return context.ResultAsync(query);
    }
}
