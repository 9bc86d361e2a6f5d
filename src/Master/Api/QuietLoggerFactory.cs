using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.Api;

/// <summary>
/// The master's logger factory as the web host sees it: ASP.NET Core's own categories pass only from Warning up. Its
/// request lines (Information) carry the URL with its query string, and <c>/events?token=</c> and <c>/ws/&lt;token&gt;</c>
/// put a token there; the API logs its requests itself (<see cref="ApiLog"/>), without them.
/// </summary>
internal sealed class QuietLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private const string AspNetCore = "Microsoft.AspNetCore";

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName.StartsWith(AspNetCore, StringComparison.Ordinal) ? new Quiet(logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The master owns the inner factory and disposes it.
    public void Dispose()
    {
    }

    private sealed class Quiet(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
