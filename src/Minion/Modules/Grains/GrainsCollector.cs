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
        var grains = new Dictionary<string, object?>(StringComparer.Ordinal);
        var failures = new List<GrainProviderFailure>();
        foreach (var provider in _providers)
        {
            try
            {
                var found = await provider.CollectAsync(context, cancellationToken).ConfigureAwait(false);
                foreach (var (key, value) in found)
                {
                    grains[key] = DataTree.Normalize(value);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                LogProviderFailed(_logger, e, provider.Name);
                failures.Add(new GrainProviderFailure(provider.Name, e));
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

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Grain provider {Provider} failed; its grains are skipped")]
    private static partial void LogProviderFailed(ILogger logger, Exception exception, string provider);
}
