using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;
using Orchestrator.Shared.Rendering.Yaml;

namespace Orchestrator.Minion.Mine;

/// <summary>
/// Where <c>mine_functions</c> come from and how each definition reads, as Salt's <c>config.merge('mine_functions')</c>
/// and <c>salt.utils.mine.parse_function_definition</c> do it.
/// </summary>
public static class MineFunctions
{
    /// <summary>
    /// Salt's <c>config.merge</c>: the minion's own configuration (its file, then <c>minion.d/*.conf</c> over it) wins per
    /// function over the master's config as pillar carries it (<c>pillar['master']</c>), which wins over pillar.
    /// </summary>
    /// <param name="opts">The minion's configuration.</param>
    /// <param name="configDir">The directory of the minion file, for <c>minion.d/*.conf</c>; null when there is none.</param>
    /// <param name="pillar">The minion's pillar.</param>
    /// <exception cref="MineConfigException">A source is not a mapping, or a <c>minion.d</c> file cannot be read.</exception>
    public static Dictionary<string, object?> Merge(IReadOnlyDictionary<string, object?> opts, string? configDir, IReadOnlyDictionary<string, object?> pillar)
    {
        var layers = new List<(string Source, object? Value)>();
        if (pillar.TryGetValue("mine_functions", out var fromPillar))
        {
            layers.Add(("pillar", fromPillar));
        }
        if (pillar.GetValueOrDefault("master") is Dictionary<string, object?> master && master.TryGetValue("mine_functions", out var fromMaster))
        {
            layers.Add(("pillar['master']", fromMaster));
        }
        if (opts.TryGetValue("mine_functions", out var fromOpts))
        {
            layers.Add(("minion config", fromOpts));
        }
        layers.AddRange(Includes(configDir));
        var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (source, value) in layers)
        {
            switch (DataTree.Normalize(value))
            {
                case null:
                    break;
                case Dictionary<string, object?> functions:
                    foreach (var (alias, definition) in functions)
                    {
                        merged[alias] = definition;
                    }
                    break;
                default:
                    throw new MineConfigException($"{source}: 'mine_functions' must be a mapping of function names (or aliases) to their arguments");
            }
        }
        return merged;
    }

    /// <summary>The <c>mine_functions</c> of <c>minion.d/*.conf</c>, in file name order (a later file wins).</summary>
    private static IEnumerable<(string Source, object? Value)> Includes(string? configDir)
    {
        var dir = configDir is null ? null : Path.Combine(configDir, "minion.d");
        if (dir is null || !Directory.Exists(dir))
        {
            yield break;
        }
        foreach (var file in Directory.EnumerateFiles(dir, "*.conf").Order(StringComparer.Ordinal))
        {
            object? document;
            try
            {
                document = YamlLoader.Load(File.ReadAllText(file), file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlLoadException)
            {
                throw new MineConfigException($"{file}: {e.Message}");
            }
            if (document is Dictionary<string, object?> map && map.TryGetValue("mine_functions", out var functions))
            {
                yield return (file, functions);
            }
        }
    }

    /// <summary>The mine functions as the minion runs them (Salt's <c>parse_function_definition</c> of each entry).</summary>
    public static List<MineFunctionSpec> Parse(IReadOnlyDictionary<string, object?> mineFunctions) =>
        mineFunctions.Select(pair => Parse(pair.Key, pair.Value)).ToList();

    /// <summary>
    /// One definition: a mapping is keyword arguments; a list holds positional arguments and one-key mappings of keyword
    /// arguments; <c>mine_function</c> names the function (the key is then an alias); <c>allow_tgt</c> and
    /// <c>allow_tgt_type</c> are the ACL. Anything else (<c>null</c>) runs the function without arguments.
    /// </summary>
    public static MineFunctionSpec Parse(string alias, object? definition)
    {
        var args = new List<object?>();
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        switch (DataTree.Normalize(definition))
        {
            case Dictionary<string, object?> map:
                foreach (var (key, value) in map)
                {
                    kwargs[key] = value;
                }
                break;
            case List<object?> list:
                foreach (var item in list)
                {
                    if (item is Dictionary<string, object?> pairs)
                    {
                        foreach (var (key, value) in pairs)
                        {
                            kwargs[key] = value;
                        }
                    }
                    else
                    {
                        args.Add(item);
                    }
                }
                break;
        }
        var function = Pop(kwargs, "mine_function");
        var allowTgt = Pop(kwargs, "allow_tgt");
        var allowTgtType = Pop(kwargs, "allow_tgt_type");
        return new MineFunctionSpec(
            alias, Truthy(function) ? DataTree.KeyToString(function) : alias, args, kwargs,
            Truthy(allowTgt) ? DataTree.KeyToString(allowTgt) : null,
            Truthy(allowTgtType) ? DataTree.KeyToString(allowTgtType) : null,
            Truthy(function));
    }

    /// <summary>What <c>mine.valid</c> shows for an entry: <c>{function: [args..., {key: value}...]}</c> for an alias, else the definition.</summary>
    public static object? Valid(MineFunctionSpec spec, object? definition)
    {
        if (!spec.Aliased)
        {
            return DataTree.Normalize(definition);
        }
        var call = new List<object?>(spec.Args);
        call.AddRange(spec.Kwargs.Select(pair => (object?)new Dictionary<string, object?>(StringComparer.Ordinal) { [pair.Key] = pair.Value }));
        return new Dictionary<string, object?>(StringComparer.Ordinal) { [spec.Function] = call };
    }

    private static object? Pop(Dictionary<string, object?> kwargs, string key) => kwargs.Remove(key, out var value) ? value : null;

    private static bool Truthy(object? value) => DataTree.IsTruthy(value);
}
