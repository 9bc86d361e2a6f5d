using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Testing;

/// <summary>Keeps every log line, so a test can assert on what was (and was not) logged; also a provider of itself.</summary>
public sealed class CollectingLogger<T> : ILogger<T>, ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, eventId, formatter(state, exception)));

    public List<string> WithId(int id) => Entries.Where(e => e.Id.Id == id).Select(e => e.Message).ToList();

    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose()
    {
    }
}
