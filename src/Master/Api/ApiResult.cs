namespace Orchestrator.Master.Api;

/// <summary>What a handler answers: a data tree written as JSON or YAML, with its status.</summary>
public sealed record ApiResult(object? Body, int Status = 200)
{
    /// <summary>The response was written by the handler itself (an event stream, a websocket).</summary>
    public static readonly ApiResult Written = new(null, 0);
}
