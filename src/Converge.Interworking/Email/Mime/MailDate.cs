using MimeKit.Utils;

namespace Converge.Interworking.Email;

/// <summary>RFC 5322 §3.3 date-time, as MimeKit writes it: <c>Mon, 04 Mar 2024 10:00:00 +0100</c>.</summary>
internal static class MailDate
{
    public static string Format(DateTimeOffset date) => DateUtils.FormatDate(date);
}
