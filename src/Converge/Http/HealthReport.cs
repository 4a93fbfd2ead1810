namespace Converge.Http;

/// <summary>The body of <c>GET /health</c>.</summary>
/// <param name="Sessions">Bound client sessions on this node.</param>
internal sealed record HealthReport(string Status, string Domain, int Sessions);
