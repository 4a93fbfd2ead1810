using Converge.Core.Storage;

namespace Converge.Storage.Postgres.Stores;

/// <summary>Spam and abuse reports (XEP-0377), one row each; times in Unix milliseconds.</summary>
internal sealed class PostgresSpamReportStore(PostgresWriter writer, PostgresReader reader) : ISpamReportStore
{
    private const string Insert = """
        INSERT INTO spam_reports (reporter, reported, reason, text, at) VALUES ($1, $2, $3, $4, $5)
        RETURNING id
        """;

    private const string SelectNewest = "SELECT id, reporter, reported, reason, text, at FROM spam_reports ORDER BY id DESC LIMIT $1";

    public async Task<SpamReport> AddAsync(SpamReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var at = report.At.ToUnixTimeMilliseconds();
        var id = await writer.WriteAsync(
            [PostgresStatement.Query(Insert, report.Reporter, report.Reported, report.Reason, report.Text, at)],
            static r => Convert.ToInt64(r[0].Scalar, System.Globalization.CultureInfo.InvariantCulture),
            cancellationToken).ConfigureAwait(false);
        return report with { Id = id, At = DateTimeOffset.FromUnixTimeMilliseconds(at) };
    }

    public async Task<IReadOnlyList<SpamReport>> ListAsync(int max, CancellationToken cancellationToken = default) =>
        await reader.ListAsync(
            new(SelectNewest, (long)max),
            static r => new SpamReport(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5))),
            cancellationToken).ConfigureAwait(false);
}
