using System.Text.Json.Serialization;

namespace Converge.Admin;

/// <summary>The token file's JSON, source-generated (no reflection at run time).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(List<OperatorToken>))]
internal sealed partial class OperatorTokenJson : JsonSerializerContext;
