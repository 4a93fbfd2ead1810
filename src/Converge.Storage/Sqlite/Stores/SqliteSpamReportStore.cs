using Converge.Core.Storage;

namespace Converge.Storage.Sqlite.Stores;

/// <summary>Spam and abuse reports (XEP-0377), one row each; times in Unix milliseconds.</summary>
internal sealed class SqliteSpamReportStore(SqliteWriter writer, SqliteReaderPool readers) : ISpamReportStore
{
    private const string Insert = """
        INSERT INTO spam_reports (reporter, reported, reason, text, at) VALUES ($reporter, $reported, $reason, $text, $at)
        RETURNING id
        """;

    private const string SelectNewest = "SELECT id, reporter, reported, reason, text, at FROM spam_reports ORDER BY id DESC LIMIT $max";

    public async Task<SpamReport> AddAsync(SpamReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var id = await writer.WriteAsync(
            static (s, r) => (long)s.Command(Insert)
                .Bind("$reporter", r.Reporter).Bind("$reported", r.Reported).Bind("$reason", r.Reason).Bind("$text", r.Text)
                .Bind("$at", r.At.ToUnixTimeMilliseconds())
                .ExecuteScalar()!,
            report,
            cancellationToken).ConfigureAwait(false);
        return report with { Id = id, At = DateTimeOffset.FromUnixTimeMilliseconds(report.At.ToUnixTimeMilliseconds()) };
    }

    public Task<IReadOnlyList<SpamReport>> ListAsync(int max, CancellationToken cancellationToken = default) =>
        readers.ReadAsync<int, IReadOnlyList<SpamReport>>(
            static (s, max) =>
            {
                using var reader = s.Command(SelectNewest).Bind("$max", max).ExecuteReader();
                var reports = new List<SpamReport>();
                while (reader.Read())
                {
                    reports.Add(new SpamReport(
                        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                        reader.IsDBNull(4) ? null : reader.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
                }

                return reports;
            },
            max,
            cancellationToken);
}
