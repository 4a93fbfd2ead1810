using System.Globalization;
using Converge.Bench.Cli;

namespace Converge.Bench.Provisioning;

/// <summary>Options of `converge-bench provision`: which server's store, where, and which users.</summary>
internal sealed record ProvisionOptions(string Target, string Path, string Domain, int Users, string UserPattern, string PasswordPattern, int Iterations)
{
    /// <summary>Roster size: each user gets its ring neighbours i±1..i±Contacts/2 as "both" contacts (0: no rosters).</summary>
    public int Contacts { get; init; }

    /// <summary>When set (e.g. +49151), user n gets the MSISDN prefix + n in 8 digits (Converge only; SMS senders need one).</summary>
    public string? MsisdnPrefix { get; init; }

    public string? Msisdn(int index) => MsisdnPrefix is null ? null : string.Create(CultureInfo.InvariantCulture, $"{MsisdnPrefix}{index + 1:D8}");

    public string BareJid(int index) => UserName(index) + "@" + Domain;

    /// <summary>The contacts of user <paramref name="index"/>, as the presence scenario expects them.</summary>
    public IEnumerable<int> ContactsOf(int index) => Scenarios.RingContacts.Of(index, Users, Contacts);

    public string UserName(int index) => string.Format(CultureInfo.InvariantCulture, UserPattern, index + 1);

    public string Password(int index) => string.Format(CultureInfo.InvariantCulture, PasswordPattern, index + 1);

    public static ProvisionOptions Parse(Arguments args)
    {
        var options = new ProvisionOptions(
            args.String("target", ""),
            args.String("path", ""),
            args.String("domain", "localhost"),
            args.Int("users", 1000),
            args.String("user-pattern", "user{0}"),
            args.String("password-pattern", "pass{0}"),
            args.Int("iterations", 4096))
        {
            Contacts = args.Int("contacts", 0, min: 0),
            MsisdnPrefix = args.OptionalString("msisdn-prefix"),
        };
        args.EnsureAllUsed();
        if (options.Target is not ("converge" or "prosody") || options.Path.Length == 0)
        {
            throw new UsageException("provision needs --target converge|prosody and --path (Converge's database file, Prosody's data_path)");
        }

        return options;
    }
}
