using Converge.Core.Accounts;
using Converge.Core.Addressing;

namespace Converge.Core.Storage;

public interface IAccountStore
{
    /// <returns>false when the account already exists.</returns>
    Task<bool> CreateAsync(Account account, CancellationToken cancellationToken = default);

    /// <returns>false when the account does not exist.</returns>
    Task<bool> UpdateAsync(Account account, CancellationToken cancellationToken = default);

    /// <summary>Removes the account and everything stored for it (roster, offline messages, vCard, block list).</summary>
    Task<bool> RemoveAsync(Jid bareJid, CancellationToken cancellationToken = default);

    Task<Account?> FindAsync(Jid bareJid, CancellationToken cancellationToken = default);

    /// <summary>The account whose MSISDN is this E.164 number ("+4915...").</summary>
    Task<Account?> FindByMsisdnAsync(string msisdn, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A number that grows whenever any account is created, changed or removed, by any process
    /// sharing the store. The server polls it to see CLI changes without a restart.
    /// </summary>
    Task<long> GetChangeCounterAsync(CancellationToken cancellationToken = default);

    /// <summary>The accounts changed (or removed: <c>null</c> account) since <paramref name="counter"/>.</summary>
    Task<IReadOnlyList<(Jid Jid, Account? Account)>> ChangesSinceAsync(long counter, CancellationToken cancellationToken = default);
}
