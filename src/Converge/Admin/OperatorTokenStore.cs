using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Converge.Admin;

/// <summary>
/// Operator tokens in <c>admin-tokens.json</c> in the data directory: a file, so that
/// <c>converge admin token add</c> works whether or not the server runs, and a running server sees
/// a change at the next request (the file is read again when its time stamp moves). Only the
/// SHA-256 of each token is stored: a token is 32 random bytes, so a fast hash is as good as a slow one,
/// and a copy of the file lets nobody in.
/// </summary>
internal sealed class OperatorTokenStore(string dataDirectory)
{
    public const string FileName = "admin-tokens.json";

    /// <summary>Tokens start with this, so that a leaked one is recognisable (secret scanners, log filters).</summary>
    public const string Prefix = "cvt_";

    private const int MaxNameLength = 64;

    private readonly Lock _gate = new();
    private (DateTime Stamp, long Length, IReadOnlyList<OperatorToken> Tokens) _cache = (DateTime.MinValue, -1, []);

    public string FilePath { get; } = Path.Combine(dataDirectory, FileName);

    public IReadOnlyList<OperatorToken> List()
    {
        var info = new FileInfo(FilePath);
        if (!info.Exists)
        {
            return [];
        }

        lock (_gate)
        {
            info.Refresh();
            if (_cache.Stamp != info.LastWriteTimeUtc || _cache.Length != info.Length)
            {
                _cache = (info.LastWriteTimeUtc, info.Length, Read());
            }

            return _cache.Tokens;
        }
    }

    /// <summary>Creates a token and returns its secret: the only time it exists outside the caller's hands.</summary>
    public string Add(string name, OperatorScope scope, DateTimeOffset now)
    {
        ValidateName(name);
        lock (_gate)
        {
            var tokens = Read().ToList();
            if (tokens.Any(t => t.Name == name))
            {
                throw new InvalidOperationException($"a token named '{name}' already exists");
            }

            var secret = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
            tokens.Add(new OperatorToken(name, scope, Hash(secret), now));
            Write(tokens);
            return secret;
        }
    }

    public bool Remove(string name)
    {
        lock (_gate)
        {
            var tokens = Read().ToList();
            if (tokens.RemoveAll(t => t.Name == name) == 0)
            {
                return false;
            }

            Write(tokens);
            return true;
        }
    }

    /// <summary>The token the presented secret is, or null. Compares every stored hash in constant time.</summary>
    public OperatorToken? Find(string presented)
    {
        var hash = Convert.FromBase64String(Hash(presented));
        OperatorToken? found = null;
        foreach (var token in List())
        {
            if (CryptographicOperations.FixedTimeEquals(hash, Convert.FromBase64String(token.Hash)))
            {
                found = token;
            }
        }

        return found;
    }

    public static string Hash(string secret) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"a token name is 1 to {MaxNameLength} letters, digits, '-', '_' or '.'");
        }
    }

    private List<OperatorToken> Read()
    {
        try
        {
            using var stream = File.OpenRead(FilePath);
            return JsonSerializer.Deserialize(stream, OperatorTokenJson.Default.ListOperatorToken) ?? [];
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private void Write(List<OperatorToken> tokens)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var temporary = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Hashes only, but nobody else needs to read which tokens exist.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, tokens, OperatorTokenJson.Default.ListOperatorToken);
        }

        // Atomic: a running server reads the old file or the new one, never half of one.
        File.Move(temporary, FilePath, overwrite: true);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
