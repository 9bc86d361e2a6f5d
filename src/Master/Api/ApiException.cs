namespace Orchestrator.Master.Api;

/// <summary>A request the API refuses: answered as <c>{"return": message}</c> with <see cref="Status"/>.</summary>
public sealed class ApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static ApiException BadRequest(string message) => new(400, message);

    public static ApiException Unauthorized(string message = "Please log in") => new(401, message);

    public static ApiException Forbidden(string message) => new(403, message);

    public static ApiException NotFound(string message) => new(404, message);
}
