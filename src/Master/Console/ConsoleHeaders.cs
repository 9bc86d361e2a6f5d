using Microsoft.AspNetCore.Http;

namespace Orchestrator.Master.WebConsole;

/// <summary>The security headers of every /ui response.</summary>
/// <remarks>
/// The console has no inline script or style and loads nothing from elsewhere, so the policy can be strict: scripts,
/// styles and connections (fetch, EventSource, WebSocket) from this origin only, no framing, no plugins, no base
/// rewriting. No referrer, since the event stream's URL carries the token (<c>/events?token=</c>) as salt-api's does.
/// </remarks>
public static class ConsoleHeaders
{
    /// <summary>The Content-Security-Policy sent with the console.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    /// <summary>Sets the headers on <paramref name="response"/>.</summary>
    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }
}
