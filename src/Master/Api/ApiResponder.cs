using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Api;

/// <summary>
/// rest_cherrypy's <c>hypermedia_handler</c>: runs a handler and writes what it returns (or the error it raised) in the format
/// the <c>Accept</c> header asks for, JSON or YAML; a client that takes neither gets 406. Errors are
/// <c>{"return": message}</c> with their status; an unexpected failure is a 500 with no internals in it.
/// </summary>
public static class ApiResponder
{
    public const string Json = "application/json";
    public const string Yaml = "application/x-yaml";

    /// <summary>Wraps a handler as a request delegate.</summary>
    public static RequestDelegate Handle(Func<HttpContext, Task<ApiResult>> handler, ILogger logger) => async context =>
    {
        ApiResult result;
        try
        {
            result = await handler(context).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            if (e.Status != 401)
            {
                ApiLog.BadRequest(logger, context.Request.Method, context.Request.Path, e.Status, e.Message);
            }
            result = new ApiResult(new Dictionary<string, object?>(StringComparer.Ordinal) { ["return"] = e.Message }, e.Status);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            ApiLog.Failed(logger, e, context.Request.Method, context.Request.Path);
            result = new ApiResult(new Dictionary<string, object?>(StringComparer.Ordinal) { ["return"] = "An unexpected error occurred" }, 500);
        }
        if (ReferenceEquals(result, ApiResult.Written) || context.Response.HasStarted)
        {
            return;
        }
        await WriteAsync(context, result).ConfigureAwait(false);
    };

    /// <summary>Writes <paramref name="result"/> negotiated by the request's <c>Accept</c> header.</summary>
    public static async Task WriteAsync(HttpContext context, ApiResult result)
    {
        var format = Negotiate(context.Request.Headers.Accept.ToString());
        var status = result.Status;
        var body = result.Body;
        if (format is null)
        {
            format = Json;
            status = 406;
            body = new Dictionary<string, object?>(StringComparer.Ordinal) { ["return"] = "Not Acceptable: this API answers application/json or application/x-yaml" };
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = format;
        // Answers hold job returns and tokens: no cache may keep them (salt-api sets "private" for authenticated answers).
        context.Response.Headers.CacheControl = "private, no-store";
        var text = format == Yaml ? PyYaml.Dump(body, defaultFlowStyle: false) + "\n" : DataTree.ToJson(body, indent: false);
        await context.Response.WriteAsync(text, Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>JSON or YAML as <paramref name="accept"/> prefers (JSON when it says nothing or <c>*/*</c>); null for neither.</summary>
    public static string? Negotiate(string accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return Json;
        }
        if (!MediaTypeHeaderValue.TryParseList(accept.Split(','), out var types))
        {
            return Json;
        }
        foreach (var type in types.Where(t => (t.Quality ?? 1) > 0).OrderByDescending(t => t.Quality ?? 1))
        {
            switch (type.MediaType.Value?.ToLowerInvariant())
            {
                case "application/json" or "application/*" or "*/*" or "text/json":
                    return Json;
                case "application/x-yaml" or "application/yaml" or "text/yaml" or "text/x-yaml":
                    return Yaml;
            }
        }
        return null;
    }
}
