using System.Net;

namespace Orchestrator.Integration.Tests.Api;

/// <summary>An API answer: status, body text, the body as JSON when it is JSON, headers, content type.</summary>
public sealed record ApiResponse(
    HttpStatusCode Status, string Text, Dictionary<string, object?>? Body, Dictionary<string, string> Headers, string? ContentType)
{
    /// <summary>The body's <c>return</c> as a list (most answers).</summary>
    public List<object?> Return => Body?.GetValueOrDefault("return") as List<object?> ?? throw new InvalidOperationException($"no return list in {Text}");

    /// <summary>The first entry of <see cref="Return"/> as a mapping.</summary>
    public Dictionary<string, object?> First => (Dictionary<string, object?>)Return[0]!;
}
