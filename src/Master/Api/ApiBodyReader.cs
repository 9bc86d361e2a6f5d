using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Api;

/// <summary>
/// Reads a request body the way rest_cherrypy's <c>hypermedia_in</c> does: JSON, YAML (<c>application/x-yaml</c>,
/// <c>text/yaml</c>), form fields (<c>arg</c>/<c>kwarg</c> typed as on the command line) or <c>text/plain</c> holding JSON.
/// An empty body is no data; another content type is refused with 406.
/// </summary>
public static class ApiBodyReader
{
    /// <summary>Largest body of /login (credentials only): anyone may send one, so it may not cost the master much.</summary>
    public const long LoginBodyLimit = 64 * 1024;

    /// <summary>Largest body of /run and /hook, read before their sender is known to be anyone.</summary>
    public const long UnauthenticatedBodyLimit = 1024 * 1024;

    public static async Task<ApiBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        LimitUnauthenticated(request);
        string raw;
        try
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            raw = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new ApiException(413, "Request body too large");
        }
        if (raw.Length == 0)
        {
            return new ApiBody(null, raw);
        }
        var type = (request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        return new ApiBody(Parse(type, raw), raw);
    }

    private static void LimitUnauthenticated(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        long? limit = path == "/login" ? LoginBodyLimit
            : path == "/run" || path == "/hook" || path.StartsWith("/hook/", StringComparison.Ordinal) ? UnauthenticatedBodyLimit
            : null;
        if (limit is { } bytes && request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = bytes;
        }
    }

    /// <summary>Parses <paramref name="raw"/> as <paramref name="contentType"/> (no parameters, lower case).</summary>
    public static object? Parse(string contentType, string raw)
    {
        switch (contentType)
        {
            case "application/json":
                try
                {
                    return DataTree.FromJson(raw);
                }
                catch (System.Text.Json.JsonException)
                {
                    throw ApiException.BadRequest("Invalid JSON document");
                }
            case "application/x-yaml" or "application/yaml" or "text/yaml" or "text/x-yaml":
                try
                {
                    if (UntrustedYaml.Problem(raw) is { } problem)
                    {
                        throw ApiException.BadRequest($"Invalid YAML document: {problem}");
                    }
                    return PyYaml.Load(raw);
                }
                catch (Shared.Rendering.Jinja.JinjaException)
                {
                    throw ApiException.BadRequest("Invalid YAML document");
                }
            case "application/x-www-form-urlencoded":
                return Form(raw);
            case "text/plain":
                try
                {
                    return DataTree.FromJson(raw);
                }
                catch (System.Text.Json.JsonException)
                {
                    return raw;
                }
            default:
                throw new ApiException(406, "Content type not supported");
        }
    }

    private static Dictionary<string, object?> Form(string raw)
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, values) in QueryHelpers.ParseQuery(raw))
        {
            data[key] = values.Count == 1 ? values[0] : values.Select(v => (object?)v).ToList();
        }
        if (data.GetValueOrDefault("kwarg") is string kwarg)
        {
            data["kwarg"] = FormArgs.Yamlify(kwarg);
        }
        if (data.TryGetValue("arg", out var arg))
        {
            data["arg"] = arg switch
            {
                List<object?> list => list.Select(v => v is string s ? FormArgs.Yamlify(s) : v).ToList(),
                string one => new List<object?> { FormArgs.Yamlify(one) },
                _ => arg,
            };
        }
        return data;
    }
}
