namespace Converge.Core.Storage;

/// <summary>Spam and abuse reports (XEP-0377) for the operator to read.</summary>
public interface ISpamReportStore
{
    /// <summary>Stores durably and returns the report with its id.</summary>
    Task<SpamReport> AddAsync(SpamReport report, CancellationToken cancellationToken = default);

    /// <summary>The newest reports first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<SpamReport>> ListAsync(int max, CancellationToken cancellationToken = default);
}
