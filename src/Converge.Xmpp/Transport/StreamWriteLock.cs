using System.IO.Pipelines;

namespace Converge.Xmpp.Transport;

/// <summary>
/// The write side of an XML stream that several tasks write to (a link's sender, its dialback, its
/// closer; a component's loop and its errors): one writer at a time, each write flushed before the
/// next begins. The pipe is passed per call because a TLS swap replaces it mid-stream. The state is
/// generic and the writers static, so a send allocates nothing here.
/// </summary>
internal static class StreamWriteLock
{
    public static async ValueTask WriteAndFlushAsync<TState>(
        this SemaphoreSlim writeLock, PipeWriter output, TState state, Action<PipeWriter, TState> write, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            write(output, state);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeLock.Release();
        }
    }
}
