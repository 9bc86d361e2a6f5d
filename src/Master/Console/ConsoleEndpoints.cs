using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Not Orchestrator.Master.Console: that namespace would hide System.Console from all of Orchestrator.Master.
namespace Orchestrator.Master.WebConsole;

/// <summary>Maps the web console (static files and the single-page fallback) under <c>/ui</c> of the API host.</summary>
/// <remarks>
/// The files need no token: they hold no data, and the console's pages get everything through the API with the token the
/// user logs in for. Every URL under /ui that is not a file (<c>/ui/jobs/&lt;jid&gt;</c>, <c>/ui/minions/web1</c>) gets the
/// console's shell, whose router shows that page, after a login when there is no token yet: those are the links people
/// share. A missing file under <c>/ui/assets/</c> is a 404, not the shell, so a broken script reference fails visibly.
/// </remarks>
public static class ConsoleEndpoints
{
    /// <summary>Where the console lives on the API host.</summary>
    public const string BasePath = "/ui";

    private const string AssetsPrefix = "assets/";

    /// <summary>Maps <c>GET</c>/<c>HEAD</c> <c>/ui</c> and everything under it.</summary>
    public static RouteGroupBuilder MapConsole(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var assets = ConsoleAssets.Load(typeof(ConsoleEndpoints).Assembly);
        var logger = endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger("Orchestrator.Master.Console")
            ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        if (assets.Find(ConsoleAssets.IndexPath) is null)
        {
            ConsoleLog.NoAssets(logger, BasePath);
        }
        else
        {
            ConsoleLog.Mapped(logger, BasePath, assets.Count);
        }
        var group = endpoints.MapGroup(BasePath);
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        group.MapMethods("/", methods, (HttpContext context) => Serve(context, assets, string.Empty, logger));
        group.MapMethods("/{**path}", methods, (HttpContext context, string? path) => Serve(context, assets, path ?? string.Empty, logger));
        return group;
    }

    private static Task Serve(HttpContext context, ConsoleAssets assets, string path, ILogger logger)
    {
        var response = context.Response;
        ConsoleHeaders.Apply(response);
        var isAsset = path.StartsWith(AssetsPrefix, StringComparison.Ordinal) || path == "favicon.ico";
        var asset = isAsset ? assets.Find(path) : assets.Find(ConsoleAssets.IndexPath);
        if (asset is null)
        {
            ConsoleLog.NotFound(logger, path);
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.WriteAsync("Not found\n");
        }
        // Files revalidate by ETag, so a new orch-master is picked up at once; the shell is never cached, it is tiny.
        response.Headers.CacheControl = isAsset ? "no-cache" : "no-store";
        response.Headers.ETag = asset.ETag;
        if (isAsset && context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(asset.Content).AsTask();
    }
}
