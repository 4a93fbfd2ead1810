using Converge.Accounts;
using Converge.Admin;
using Converge.Configuration;
using Converge.Core.Accounts;
using Converge.Core.Storage;
using Converge.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Converge.Http.Api;

/// <summary>A user as the admin API shows it (never a credential).</summary>
internal sealed record UserView(string Jid, string? Msisdn, string? Email, bool CpmEnabled, bool RoamingCpm, int Sessions);

/// <summary>One page of users.</summary>
internal sealed record UserPage(int Total, int Offset, int Limit, IReadOnlyList<UserView> Users);

/// <summary>The body of <c>POST /api/users</c>.</summary>
internal sealed record NewUser(string Jid, string Password, string? Msisdn = null, string? Email = null, bool? CpmEnabled = null);

/// <summary>The body of <c>PATCH /api/users/{jid}</c>: null leaves a field as it is, an empty MSISDN or email removes it.</summary>
internal sealed record UserChange(string? Password = null, string? Msisdn = null, string? Email = null, bool? CpmEnabled = null, bool? RoamingCpm = null);

/// <summary>The body of a kick's answer.</summary>
internal sealed record KickResult(string Jid, int Ended);

/// <summary><c>/api/users</c>: list (paged, filtered by a substring of the JID, number or email), add, change, remove, kick.</summary>
internal static class UsersApi
{
    public const int MaxPage = 1000;

    public static void MapUsers(this RouteGroupBuilder api)
    {
        api.MapGet("/users", ListAsync).RequireScope(OperatorScope.Read);
        api.MapPost("/users", AddAsync).RequireScope(OperatorScope.Admin);
        api.MapPatch("/users/{jid}", ChangeAsync).RequireScope(OperatorScope.Admin);
        api.MapDelete("/users/{jid}", RemoveAsync).RequireScope(OperatorScope.Admin);
        api.MapPost("/users/{jid}/kick", SessionsApi.KickAsync).RequireScope(OperatorScope.Admin);
    }

    private static async Task<IResult> ListAsync(IStores stores, ConvergeSettings settings, XmppService xmpp, int? offset, int? limit, string? filter, CancellationToken cancellationToken)
    {
        var from = Math.Max(0, offset ?? 0);
        var size = Math.Clamp(limit ?? 100, 1, MaxPage);
        var all = await new AccountAdministration(stores.Accounts, settings.Domain).ListAsync(cancellationToken).ConfigureAwait(false);
        var matching = string.IsNullOrEmpty(filter) ? all : [.. all.Where(a => Matches(a, filter))];
        var page = matching.Skip(from).Take(size).Select(a => View(a, xmpp)).ToList();
        return Results.Json(new UserPage(matching.Count, from, size, page));
    }

    private static async Task<IResult> AddAsync(NewUser user, HttpContext http, IStores stores, ConvergeSettings settings, XmppService xmpp, ILogger<AdminAuthentication> logger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(user.Jid) || string.IsNullOrEmpty(user.Password))
        {
            return Results.Json(new ApiError("bad-request", "jid and password are required"), statusCode: StatusCodes.Status400BadRequest);
        }

        return await Administer(async () =>
        {
            var account = await new AccountAdministration(stores.Accounts, settings.Domain)
                .AddAsync(user.Jid, user.Password, user.Msisdn, user.Email, user.CpmEnabled, cancellationToken).ConfigureAwait(false);
            await xmpp.Server.RefreshAccountsAsync(cancellationToken).ConfigureAwait(false);
            AdminLog.UserAdded(logger, http.Caller().Name, account.Jid.ToString());
            return Results.Json(View(account, xmpp), statusCode: StatusCodes.Status201Created);
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> ChangeAsync(string jid, UserChange change, HttpContext http, IStores stores, ConvergeSettings settings, XmppService xmpp, ILogger<AdminAuthentication> logger, CancellationToken cancellationToken) =>
        await Administer(async () =>
        {
            var changes = new AccountChanges { Password = change.Password, Msisdn = change.Msisdn, Email = change.Email, CpmEnabled = change.CpmEnabled, RoamingCpm = change.RoamingCpm };
            var account = await new AccountAdministration(stores.Accounts, settings.Domain).UpdateAsync(jid, changes, cancellationToken).ConfigureAwait(false);
            await xmpp.Server.RefreshAccountsAsync(cancellationToken).ConfigureAwait(false);

            AdminLog.UserChanged(logger, http.Caller().Name, account.Jid.ToString(), ChangedFields(change));
            return Results.Json(View(account, xmpp));
        }).ConfigureAwait(false);

    // Which fields changed, never their values: a password must not reach the log.
    private static string ChangedFields(UserChange change)
    {
        var fields = new List<string>();
        if (change.Password is not null)
        {
            fields.Add("password");
        }

        if (change.Msisdn is not null)
        {
            fields.Add("msisdn");
        }

        if (change.Email is not null)
        {
            fields.Add("email");
        }

        if (change.CpmEnabled is not null)
        {
            fields.Add("cpmEnabled");
        }

        if (change.RoamingCpm is not null)
        {
            fields.Add("roamingCpm");
        }

        return string.Join(", ", fields);
    }

    private static async Task<IResult> RemoveAsync(string jid, HttpContext http, IStores stores, ConvergeSettings settings, XmppService xmpp, ILogger<AdminAuthentication> logger, CancellationToken cancellationToken) =>
        await Administer(async () =>
        {
            var removed = await new AccountAdministration(stores.Accounts, settings.Domain).RemoveAsync(jid, cancellationToken).ConfigureAwait(false);

            // The directory closes the removed account's sessions when it sees it gone.
            await xmpp.Server.RefreshAccountsAsync(cancellationToken).ConfigureAwait(false);
            AdminLog.UserRemoved(logger, http.Caller().Name, removed.ToString());
            return Results.NoContent();
        }).ConfigureAwait(false);

    internal static async Task<IResult> Administer(Func<Task<IResult>> change)
    {
        try
        {
            return await change().ConfigureAwait(false);
        }
        catch (AdministrationException e) when (e.Message.Contains("does not exist", StringComparison.Ordinal))
        {
            return Results.Json(new ApiError("not-found", e.Message), statusCode: StatusCodes.Status404NotFound);
        }
        catch (AdministrationException e) when (e.Message.Contains("already exists", StringComparison.Ordinal))
        {
            return Results.Json(new ApiError("conflict", e.Message), statusCode: StatusCodes.Status409Conflict);
        }
        catch (AdministrationException e)
        {
            return Results.Json(new ApiError("bad-request", e.Message), statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static bool Matches(Account account, string filter) =>
        account.Jid.ToString().Contains(filter, StringComparison.OrdinalIgnoreCase)
        || (account.Msisdn?.Contains(filter, StringComparison.Ordinal) ?? false)
        || (account.Email?.Contains(filter, StringComparison.OrdinalIgnoreCase) ?? false);

    private static UserView View(Account a, XmppService xmpp) =>
        new(a.Jid.ToString(), a.Msisdn, a.Email, a.CpmEnabled, a.RoamingCpm, xmpp.Server.Sessions(a.Jid).Count);
}
