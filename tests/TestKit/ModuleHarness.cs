using Orchestrator.Minion.Modules;
using Orchestrator.Minion.Modules.Providers;

namespace Orchestrator.Testing;

/// <summary>
/// Runs execution modules the way the minion does, without a minion: a temp cache dir, a registry, a context and an
/// <see cref="InvokeAsync"/> shortcut. Modelled on Nomad's DriverHarness.
/// </summary>
public sealed class ModuleHarness : IDisposable
{
    private readonly TempDir _root = new();

    private ModuleHarness(Func<ModuleProviders, IEnumerable<IExecutionModule>>? modules, ModuleProviders? providers, IFileClient? files)
    {
        Providers = providers ?? new ModuleProviders();
        Registry = new ExecutionModuleRegistry();
        if (modules is null)
        {
            Registry.AddBuiltinModules(Providers);
        }
        else
        {
            foreach (var module in modules(Providers))
            {
                Registry.Add(module);
            }
        }
        Directory.CreateDirectory(CacheDir);
        Context = new ModuleContext
        {
            MinionId = Some.MinionId(),
            Grains = new Dictionary<string, object?>(StringComparer.Ordinal),
            Opts = new Dictionary<string, object?>(StringComparer.Ordinal),
            Modules = Registry,
            CacheDir = CacheDir,
            Files = files,
        };
        Context.Opts["id"] = Context.MinionId;
        Context.Opts["cachedir"] = CacheDir;
    }

    /// <summary>A harness with every built-in module, using <paramref name="providers"/> (real host by default).</summary>
    public static ModuleHarness Builtin(ModuleProviders? providers = null, IFileClient? files = null) => new(null, providers, files);

    /// <summary>A harness with only the given modules, built from the harness's providers.</summary>
    public static ModuleHarness For(Func<ModuleProviders, IEnumerable<IExecutionModule>> modules, ModuleProviders? providers = null, IFileClient? files = null) =>
        new(modules, providers, files);

    /// <summary>A harness with only the given module instances.</summary>
    public static ModuleHarness For(params IExecutionModule[] modules) => new(_ => modules, null, null);

    public ExecutionModuleRegistry Registry { get; }

    public ModuleContext Context { get; }

    public ModuleProviders Providers { get; }

    /// <summary>A scratch directory for the test's files, removed on dispose.</summary>
    public string TempPath => _root.Combine("work");

    public string CacheDir => _root.Combine("cache");

    public Dictionary<string, object?> Grains => Context.Grains;

    public Task<FunctionResult> InvokeAsync(string function, params object?[] args) =>
        InvokeAsync(function, args, null, CancellationToken.None);

    public Task<FunctionResult> InvokeAsync(
        string function,
        IReadOnlyList<object?>? args,
        IReadOnlyDictionary<string, object?>? kwargs,
        CancellationToken cancellationToken = default) =>
        Registry.InvokeAsync(function, args ?? [], kwargs ?? new Dictionary<string, object?>(), Context, cancellationToken);

    /// <summary>Invokes and asserts success, returning the value.</summary>
    public async Task<object?> ReturnAsync(string function, params object?[] args) =>
        await ReturnAsync(function, args, null).ConfigureAwait(false);

    public async Task<object?> ReturnAsync(string function, IReadOnlyList<object?>? args, IReadOnlyDictionary<string, object?>? kwargs)
    {
        var result = await InvokeAsync(function, args, kwargs).ConfigureAwait(false);
        Xunit.Assert.True(result.Success, $"{function} failed: {result.Return}");
        return result.Return;
    }

    /// <summary>Creates <see cref="TempPath"/> (if needed) and returns a path inside it.</summary>
    public string Path(params string[] parts)
    {
        Directory.CreateDirectory(TempPath);
        return System.IO.Path.Combine([TempPath, .. parts]);
    }

    /// <summary>Keyword arguments from pairs: <c>ModuleHarness.Kw(("cwd", "/tmp"))</c>.</summary>
    public static Dictionary<string, object?> Kw(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    public void Dispose() => _root.Dispose();
}
