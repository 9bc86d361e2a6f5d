using Orchestrator.Shared.Config;

namespace Orchestrator.Master.Mine;

/// <summary>
/// The mine's part of the master configuration: Salt's <c>mine_get</c> (a master-side ACL: minion id regex → function
/// regexes) and our <c>mine_max_size</c>, the most one minion may keep in the mine.
/// </summary>
public sealed class MineOptions
{
    public const long DefaultMaxSize = 1024 * 1024;

    public static readonly IReadOnlyList<ConfigKey> Keys =
    [
        new("mine_get", ConfigKind.Map, null,
            "Master-side mine ACL, as Salt's: {minion id regex: [function regex, ...]}; unset lets every minion read every function."),
        new("mine_max_size", ConfigKind.Int, DefaultMaxSize,
            "Bytes of mine data (MessagePack) one minion may keep on the master; a larger update is refused and the old data kept."),
    ];

    /// <summary>Salt's <c>mine_get</c>; null when not configured (every function allowed).</summary>
    public Dictionary<string, List<string>>? GetAcl { get; set; }

    public long MaxSize { get; set; } = DefaultMaxSize;

    /// <summary>Reads the mine keys of a loaded configuration; a malformed value fails naming the key and the file.</summary>
    public static MineOptions FromConfig(IReadOnlyDictionary<string, object?> config, string path)
    {
        var options = new MineOptions { MaxSize = Math.Clamp(config.GetLong("mine_max_size", DefaultMaxSize), 1024, 1L << 30) };
        if (config.GetValueOrDefault("mine_get") is Dictionary<string, object?> acl)
        {
            options.GetAcl = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var (pattern, functions) in acl)
            {
                options.GetAcl[pattern] = functions switch
                {
                    List<object?> list => list.Select(Shared.Data.DataTree.KeyToString).ToList(),
                    // Salt takes only lists here and ignores anything else.
                    _ => throw new ConfigException($"{path}: invalid value for 'mine_get': '{pattern}' must map to a list of function regexes"),
                };
            }
        }
        return options;
    }
}
