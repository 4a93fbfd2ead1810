using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Converge.Bench.Xmpp;

namespace Converge.Bench.Provisioning;

/// <summary>
/// Writes the benchmark users as Prosody's internal_hashed account files
/// (DATA/&lt;host&gt;/accounts/&lt;user&gt;.dat with SCRAM-SHA-256 stored and server keys in hex; the
/// server needs <c>password_hash = "SHA-256"</c>). `prosodyctl register` per user costs a Lua
/// start and 10,000 PBKDF2 iterations each; this writes the same data in seconds. With --contacts,
/// also DATA/&lt;host&gt;/roster/&lt;user&gt;.dat with the ring neighbours as "both" contacts.
/// </summary>
internal static class ProsodyProvisioner
{
    public static async Task<int> RunAsync(ProvisionOptions options, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(options.Path, Encode(options.Domain), "accounts");
        Directory.CreateDirectory(directory);
        var created = 0;
        await Parallel.ForAsync(0, options.Users, cancellationToken, async (i, token) =>
        {
            var file = Path.Combine(directory, Encode(options.UserName(i)) + ".dat");
            if (File.Exists(file))
            {
                return;
            }

            var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var keys = ScramKeys.Derive(HashAlgorithmName.SHA256, options.Password(i), Encoding.UTF8.GetBytes(salt), options.Iterations);
            var lua = $"return {{\n\t[\"iteration_count\"] = {options.Iterations};\n\t[\"salt\"] = \"{salt}\";\n"
                + $"\t[\"stored_key\"] = \"{Convert.ToHexStringLower(keys.StoredKey)}\";\n\t[\"server_key\"] = \"{Convert.ToHexStringLower(keys.ServerKey)}\";\n}};\n";
            await File.WriteAllTextAsync(file, lua, token).ConfigureAwait(false);
            Interlocked.Increment(ref created);
        }).ConfigureAwait(false);

        if (options.Contacts > 0)
        {
            var rosters = Path.Combine(options.Path, Encode(options.Domain), "roster");
            Directory.CreateDirectory(rosters);
            await Parallel.ForAsync(0, options.Users, cancellationToken, async (i, token) =>
            {
                var lua = new StringBuilder("return {\n\t[false] = { [\"pending\"] = {}; [\"version\"] = 1; };\n");
                foreach (var contact in options.ContactsOf(i))
                {
                    lua.Append(CultureInfo.InvariantCulture, $"\t[\"{options.BareJid(contact)}\"] = {{ [\"subscription\"] = \"both\"; [\"name\"] = \"{options.UserName(contact)}\"; [\"groups\"] = {{ [\"bench\"] = true; }}; }};\n");
                }

                lua.Append("};\n");
                await File.WriteAllTextAsync(Path.Combine(rosters, Encode(options.UserName(i)) + ".dat"), lua.ToString(), token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        return created;
    }

    // util.datamanager's encode: every non-alphanumeric byte as %xx.
    private static string Encode(string name)
    {
        var result = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9'))
            {
                result.Append((char)b);
            }
            else
            {
                result.Append('%').Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return result.ToString();
    }
}
