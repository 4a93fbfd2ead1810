using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Converge.Configuration;

namespace Converge.Cli;

/// <summary>
/// How the operator commands reach a running server: the admin API at <c>--url</c> (default: the
/// configured Listeners.Admin, else Listeners.Http, on loopback) with <c>--token</c> (default: the
/// CONVERGE_ADMIN_TOKEN environment variable).
/// </summary>
internal sealed class AdminApiClient : IDisposable
{
    public const string TokenVariable = "CONVERGE_ADMIN_TOKEN";

    private readonly HttpClient _http;

    private AdminApiClient(Uri baseAddress, string? token)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public static Option<string?> UrlOption() => new("--url")
    {
        Description = "The running server's admin API, e.g. http://127.0.0.1:5280 [default: from Listeners.Admin or Listeners.Http]",
        HelpName = "URL",
    };

    public static Option<string?> TokenOption() => new("--token")
    {
        Description = $"An operator token (converge admin token add) [default: ${TokenVariable}]",
        HelpName = "TOKEN",
    };

    /// <summary>The client for the options given, or null (with a reason) when no server address is known.</summary>
    public static AdminApiClient? For(ConvergeSettings settings, string? url, string? token, CommandLineContext context, out string? problem)
    {
        problem = null;
        Uri? address = null;
        if (url is not null)
        {
            if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out address) || address.Scheme is not ("http" or "https"))
            {
                problem = $"--url '{url}' is not an http(s) URL";
                return null;
            }
        }
        else if ((settings.AdminEndpoint ?? settings.HttpEndpoint) is { } endpoint)
        {
            var host = endpoint.Address.Equals(System.Net.IPAddress.Any) ? "127.0.0.1"
                : endpoint.Address.Equals(System.Net.IPAddress.IPv6Any) ? "[::1]" : endpoint.ToString()[..endpoint.ToString().LastIndexOf(':')];
            address = new Uri($"http://{host}:{endpoint.Port}/");
        }
        else
        {
            problem = "the configuration has no HTTP listener; give --url";
            return null;
        }

        return new AdminApiClient(address, token ?? context.Environment.GetValueOrDefault(TokenVariable));
    }

    public Uri BaseAddress => _http.BaseAddress!;

    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken) => _http.GetAsync(path.TrimStart('/'), cancellationToken);

    public Task<HttpResponseMessage> PostAsync<T>(string path, T body, CancellationToken cancellationToken) =>
        _http.PostAsJsonAsync(path.TrimStart('/'), body, cancellationToken);

    /// <summary>One line for an answer that is not a success (401, 403, 404 ...), from the API's error body when there is one.</summary>
    public static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync<Http.Api.ApiError>(cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                return $"{(int)response.StatusCode} {error.Error}: {error.Message}";
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return $"{(int)response.StatusCode} {response.ReasonPhrase}";
    }

    public void Dispose() => _http.Dispose();
}
