using Converge.Interop.Support;

namespace Converge.Interop.Federation;

/// <summary>
/// A third-party XMPP server (<see cref="ProsodyServer"/>, <see cref="EjabberdServer"/>) run as a
/// throwaway peer provider on loopback: its own temporary directory, ports and process, and its log
/// file in that directory. Disposing it stops the process and deletes the directory.
/// </summary>
internal abstract class PeerServer : IAsyncDisposable
{
    private readonly DirectoryInfo _directory;
    private readonly ChildProcess _process;
    private readonly string _logFile;

    protected PeerServer(string domain, DirectoryInfo directory, ChildProcess process, int clientPort, int serverPort, string logFile)
    {
        Domain = domain;
        _directory = directory;
        _process = process;
        ClientPort = clientPort;
        ServerToServerPort = serverPort;
        _logFile = logFile;
    }

    public string Domain { get; }

    public int ClientPort { get; }

    public int ServerToServerPort { get; }

    /// <summary>The server's log file and console output so far.</summary>
    public string Log
    {
        get
        {
            var file = Path.Combine(_directory.FullName, _logFile);
            return (File.Exists(file) ? File.ReadAllText(file) : $"(no {_logFile})") + "\n" + _process.Output.Text;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
