using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>Runs every grain provider, isolating failures, and merges saved and configured grains on top.</summary>
/// <remarks>
/// Merge order (later wins): providers in registration order, then <c>&lt;CacheDir&gt;/grains</c> (from <c>grains.setval</c>),
/// then the static grains from the minion configuration.
/// </remarks>
public sealed partial class GrainsCollector
{
    private readonly List<IGrainProvider> _providers = [];
    private readonly ILogger _logger;

    public GrainsCollector(ILogger<GrainsCollector>? logger = null)
    {
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public IReadOnlyList<IGrainProvider> Providers => _providers;

    public GrainsCollector Add(IGrainProvider provider)
    {
        if (_providers.Any(p => p.Name == provider.Name))
        {
            throw new InvalidOperationException($"Grain provider '{provider.Name}' is registered twice");
        }
        _providers.Add(provider);
        return this;
    }

    public async Task<GrainsResult> CollectAsync(
        GrainContext context,
        IReadOnlyDictionary<string, object?>? staticGrains,
        CancellationToken cancellationToken)
    {
        // Providers run side by side (several wait on a tool or the resolver); their grains merge in registration order.
        var runs = _providers.Select(provider => RunAsync(provider, context, cancellationToken)).ToList();
        var outcomes = await Task.WhenAll(runs).ConfigureAwait(false);
        var grains = new Dictionary<string, object?>(StringComparer.Ordinal);
        var failures = new List<GrainProviderFailure>();
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i].Failure is { } failure)
            {
                LogProviderFailed(_logger, failure, _providers[i].Name);
                failures.Add(new GrainProviderFailure(_providers[i].Name, failure));
                continue;
            }
            foreach (var (key, value) in outcomes[i].Grains!)
            {
                grains[key] = DataTree.Normalize(value);
            }
        }
        if (context.CacheDir is { } cacheDir)
        {
            foreach (var (key, value) in GrainsFile.Load(cacheDir))
            {
                grains[key] = value;
            }
        }
        foreach (var (key, value) in staticGrains ?? new Dictionary<string, object?>())
        {
            grains[key] = DataTree.Normalize(value);
        }
        return new GrainsResult(grains, failures);
    }

    private static async Task<(Dictionary<string, object?>? Grains, Exception? Failure)> RunAsync(
        IGrainProvider provider, GrainContext context, CancellationToken cancellationToken)
    {
        try
        {
            // Yield first so a provider that blocks before its first await does not hold up the others.
            await Task.Yield();
            return (await provider.CollectAsync(context, cancellationToken).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return (null, e);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Grain provider {Provider} failed; its grains are skipped")]
    private static partial void LogProviderFailed(ILogger logger, Exception exception, string provider);
}
