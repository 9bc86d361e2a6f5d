namespace Orchestrator.Master.Api;

/// <summary>A request body: its data (null when empty) and the text it was sent as (what a webhook event carries as <c>body</c>).</summary>
public sealed record ApiBody(object? Data, string Raw);
