using System.Net.Mail;
using Converge.Core.Accounts;
using Converge.Core.Addressing;
using Converge.Core.Storage;
using Converge.Xmpp.Sasl;

namespace Converge.Accounts;

/// <summary>
/// Account provisioning as an operator does it (the <c>user</c> commands, later the admin API):
/// addresses checked against the served domain, numbers normalised to E.164, passwords turned
/// into SCRAM credentials before anything is stored.
/// </summary>
internal sealed class AccountAdministration(IAccountStore accounts, string domain)
{
    /// <summary>Every password is kept as one credential per SCRAM hash a client may choose.</summary>
    private static readonly string[] ScramHashes = ["SHA-1", "SHA-256"];

    public async Task<Account> AddAsync(string jid, string password, string? msisdn, string? email, bool? cpmEnabled, CancellationToken cancellationToken)
    {
        var account = new Account(
            ParseJid(jid),
            Credentials(password),
            NormalizeMsisdn(msisdn),
            NormalizeEmail(email),
            CpmEnabled: cpmEnabled ?? true);
        await EnsureMsisdnIsFreeAsync(account, cancellationToken).ConfigureAwait(false);
        if (!await accounts.CreateAsync(account, cancellationToken).ConfigureAwait(false))
        {
            throw new AdministrationException($"user {account.Jid} already exists");
        }

        return account;
    }

    public async Task<Account> UpdateAsync(string jid, AccountChanges changes, CancellationToken cancellationToken)
    {
        var bare = ParseJid(jid);
        if (changes.IsEmpty)
        {
            throw new AdministrationException("nothing to change: give --password, --msisdn, --email, --cpm, --roaming-cpm, --lock or --unlock");
        }

        var account = await accounts.FindAsync(bare, cancellationToken).ConfigureAwait(false)
            ?? throw new AdministrationException($"user {bare} does not exist");
        var updated = account with
        {
            Credentials = changes.Password is null ? account.Credentials : Credentials(changes.Password),
            Msisdn = changes.Msisdn is null ? account.Msisdn : NormalizeMsisdn(changes.Msisdn),
            Email = changes.Email is null ? account.Email : NormalizeEmail(changes.Email),
            CpmEnabled = changes.CpmEnabled ?? account.CpmEnabled,
            RoamingCpm = changes.RoamingCpm ?? account.RoamingCpm,
            Locked = changes.Locked ?? account.Locked,
        };
        await EnsureMsisdnIsFreeAsync(updated, cancellationToken).ConfigureAwait(false);
        if (!await accounts.UpdateAsync(updated, cancellationToken).ConfigureAwait(false))
        {
            throw new AdministrationException($"user {bare} does not exist");
        }

        return updated;
    }

    /// <summary>Refuses early, before a password is asked for, an address that is taken.</summary>
    public async Task EnsureAbsentAsync(Jid bareJid, CancellationToken cancellationToken)
    {
        if (await accounts.FindAsync(bareJid, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new AdministrationException($"user {bareJid} already exists");
        }
    }

    /// <summary>Refuses early, before a password is asked for, an address that has no account.</summary>
    public async Task EnsureExistsAsync(Jid bareJid, CancellationToken cancellationToken)
    {
        if (await accounts.FindAsync(bareJid, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new AdministrationException($"user {bareJid} does not exist");
        }
    }

    public async Task<Jid> RemoveAsync(string jid, CancellationToken cancellationToken)
    {
        var bare = ParseJid(jid);
        return await accounts.RemoveAsync(bare, cancellationToken).ConfigureAwait(false)
            ? bare
            : throw new AdministrationException($"user {bare} does not exist");
    }

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await accounts.ListAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.OrderBy(a => a.Jid.ToString(), StringComparer.Ordinal)];
    }

    /// <summary>A bare JID in the served domain; a bare localpart is completed with the domain.</summary>
    public Jid ParseJid(string text)
    {
        var candidate = text.Contains('@', StringComparison.Ordinal) ? text : text + "@" + domain;
        if (!Jid.TryParse(candidate, out var jid) || jid.Local is null)
        {
            throw new AdministrationException($"'{text}' is not a valid JID");
        }

        if (!jid.IsBare)
        {
            throw new AdministrationException($"'{text}' is not a bare JID: leave out the /resource");
        }

        if (!string.Equals(jid.Domain, domain, StringComparison.Ordinal))
        {
            throw new AdministrationException($"'{text}' is not in this server's domain {domain}");
        }

        // Such localparts are how senders address phone numbers and email addresses (DESIGN: legacy
        // addresses are JIDs in the sender's domain); an account with one would shadow them.
        if (E164.IsE164Localpart(jid.Local) || jid.Local.StartsWith('+'))
        {
            throw new AdministrationException($"'{text}': a localpart starting with '+' addresses a phone number; give the number with --msisdn");
        }

        // XEP-0106 escapes (peter\40mail.example, mybank\40sms) are how mail senders and SMS sender
        // names appear; an account with one could pose as such a sender, or they as it.
        if (jid.Local.Contains('\\', StringComparison.Ordinal))
        {
            throw new AdministrationException($"'{text}': a localpart with '\\' is an escaped legacy address (an email address or an SMS sender name); give an email address with --email");
        }

        return jid.Bare;
    }

    private static ScramCredential[] Credentials(string password)
    {
        if (password.Length == 0)
        {
            throw new AdministrationException("the password must not be empty");
        }

        try
        {
            return [.. ScramHashes.Select(hash => ScramCredentials.Derive(hash, password))];
        }
        catch (ArgumentException)
        {
            throw new AdministrationException("the password contains characters SASLprep prohibits (control or unassigned characters)");
        }
    }

    public static string? NormalizeMsisdn(string? msisdn)
    {
        if (string.IsNullOrEmpty(msisdn))
        {
            return null;
        }

        return E164.TryNormalize(msisdn, out var normalized)
            ? normalized
            : throw new AdministrationException($"'{msisdn}' is not an international number: write it +<country code><number>, e.g. +4915112345678");
    }

    public static string? NormalizeEmail(string? email)
    {
        if (string.IsNullOrEmpty(email))
        {
            return null;
        }

        // MailAddress also takes "Name <a@b>"; only a bare address is an address.
        return MailAddress.TryCreate(email, out var parsed) && string.Equals(parsed.Address, email, StringComparison.Ordinal)
            ? email
            : throw new AdministrationException($"'{email}' is not an email address");
    }

    private async Task EnsureMsisdnIsFreeAsync(Account account, CancellationToken cancellationToken)
    {
        if (account.Msisdn is null)
        {
            return;
        }

        var holder = await accounts.FindByMsisdnAsync(account.Msisdn, cancellationToken).ConfigureAwait(false);
        if (holder is not null && holder.Jid != account.Jid)
        {
            throw new AdministrationException($"{account.Msisdn} already belongs to {holder.Jid}");
        }
    }
}
