using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Converge.Interop.Support;

namespace Converge.Interop.Web;

/// <summary>XEP-0156: a browser client given only the domain finds the WebSocket URL, from any origin.</summary>
public sealed class HostMetaTests(ConvergeServer server) : IClassFixture<ConvergeServer>
{
    private const string Rel = "urn:xmpp:alt-connections:websocket";

    private string WebSocketUrl => $"ws://127.0.0.1:{server.HttpPort}/xmpp-websocket";

    [Fact]
    public async Task Host_meta_json_names_the_websocket_url_to_any_origin()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
        using var response = await http.GetAsync(new Uri("/.well-known/host-meta.json", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);

        var links = (await response.Content.ReadFromJsonAsync<JsonObject>())!["links"]!.AsArray();
        var link = Assert.Single(links, l => (string?)l!["rel"] == Rel);
        Assert.Equal(WebSocketUrl, (string?)link!["href"]);
    }

    [Fact]
    public async Task Host_meta_xrd_names_the_websocket_url_to_any_origin()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
        using var response = await http.GetAsync(new Uri("/.well-known/host-meta", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("application/xrd+xml", response.Content.Headers.ContentType?.MediaType);

        var xrd = XDocument.Parse(await response.Content.ReadAsStringAsync());
        XNamespace ns = "http://docs.oasis-open.org/ns/xri/xrd-1.0";
        Assert.Equal(ns + "XRD", xrd.Root!.Name);
        var link = Assert.Single(xrd.Root.Elements(ns + "Link"), l => (string?)l.Attribute("rel") == Rel);
        Assert.Equal(WebSocketUrl, (string?)link.Attribute("href"));
    }
}
