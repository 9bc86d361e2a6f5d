using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.Config;

namespace Orchestrator.Master.Api;

/// <summary>
/// The REST API inside the master: a Kestrel web application started once the master serves (it is the master's last
/// hosted service) and stopped before the rest of it. Its handlers call the master's own services; its logs go to the
/// master's log. TLS unless <c>disable_ssl</c> on a loopback host.
/// </summary>
public sealed class ApiHost(
    ApiOptions options, MasterOptions master, IEnumerable<IApiEndpoints> endpoints, ApiLifetime lifetime, ILoggerFactory loggers)
    : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<ApiHost>();
    private WebApplication? _app;

    /// <summary>Where the API listens once started (<c>https://127.0.0.1:8000</c>), with the port the OS gave for port 0.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        options.Validate("rest_api", requireFiles: false);
        var certificate = options.DisableSsl ? null : LoadCertificate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ApiHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = master.MaxMessageSize;
            var address = options.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(options.Host);
            kestrel.Listen(address, options.Port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        if (options.CorsOrigins.Count > 0)
        {
            builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy =>
            {
                // salt-api's cors_tool: GET and POST, the headers a client sends, the token header readable by scripts.
                policy.WithMethods("GET", "POST").WithHeaders("Content-Type", ApiAuth.TokenHeader, "X-Requested-With")
                    .WithExposedHeaders(ApiAuth.TokenHeader).SetPreflightMaxAge(TimeSpan.FromSeconds(1400));
                if (options.CorsOrigins.Contains("*"))
                {
                    policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins([.. options.CorsOrigins]).AllowCredentials();
                }
            }));
        }
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            if (context.Request.IsHttps)
            {
                context.Response.Headers.StrictTransportSecurity = "max-age=31536000";
            }
            await next(context).ConfigureAwait(false);
        });
        if (options.CorsOrigins.Count > 0)
        {
            app.UseCors();
        }
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        foreach (var group in endpoints)
        {
            group.Map(app);
        }
        var fallbackLogger = loggers.CreateLogger<ApiHost>();
        app.MapFallback(ApiResponder.Handle(context => throw ApiException.NotFound($"Not Found: {context.Request.Path}"), fallbackLogger));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        Address = bound is null ? null : new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal));
        ApiLog.Listening(_logger, Address?.ToString() ?? $"{options.Host}:{options.Port}");
        if (certificate is null)
        {
            ApiLog.PlainHttp(_logger, Address?.ToString() ?? options.Host);
        }
    }

    private X509Certificate2 LoadCertificate()
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(options.SslCrt, options.SslKey);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ConfigException($"rest_api: cannot load the certificate '{options.SslCrt}' with the key '{options.SslKey}': {e.Message}");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is null)
        {
            return;
        }
        // Streams and background runners first, so the server's drain does not wait on them.
        await lifetime.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        ApiLog.Stopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }
}
