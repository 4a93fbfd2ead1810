namespace Converge.Interworking.Function;

/// <summary>The XMPP side of the interworking function: where legacy messages go in.</summary>
public interface IConversationSink
{
    /// <summary>Delivers (or stores for the CPM user) durably before returning.</summary>
    ValueTask DeliverAsync(InboundConversationMessage message, CancellationToken cancellationToken);
}
