using Converge.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Converge.Xmpp.Server;

/// <summary>The XMPP service: listeners, sessions and the router. (Being implemented.)</summary>
public sealed class XmppServer(XmppServerOptions options, IStores stores, ILoggerFactory loggerFactory) : IAsyncDisposable
{
    public XmppServerOptions Options { get; } = options;

    internal IStores Stores { get; } = stores;

    internal ILoggerFactory LoggerFactory { get; } = loggerFactory;

    /// <summary>Binds the listeners (throws if a port is taken) and starts accepting.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Closes every stream with system-shutdown and stops the listeners.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
