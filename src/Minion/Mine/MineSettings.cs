using Orchestrator.Shared.Config;

namespace Orchestrator.Minion.Mine;

/// <summary>The minion configuration keys of the mine, with Salt's names and defaults.</summary>
public static class MineSettings
{
    public static readonly IReadOnlyList<ConfigKey> Keys =
    [
        new("mine_functions", ConfigKind.Map, null,
            "Functions whose returns go to the master's mine (also in minion.d/*.conf and pillar), in Salt's forms."),
        new("mine_interval", ConfigKind.Int, 60L, "Minutes between mine updates (also one at start-up)."),
        new("mine_enabled", ConfigKind.Bool, true, "Run the mine updates at start-up and every mine_interval."),
    ];

    /// <summary>Whether the periodic and start-up updates run (Salt's <c>mine_enabled</c>).</summary>
    public static bool Enabled(IReadOnlyDictionary<string, object?> opts) => opts.GetValueOrDefault("mine_enabled") is not false;

    /// <summary>Salt's <c>mine_interval</c> in minutes (at least one).</summary>
    public static TimeSpan Interval(IReadOnlyDictionary<string, object?> opts) =>
        TimeSpan.FromMinutes(Math.Max(1, opts.GetValueOrDefault("mine_interval") is long minutes ? minutes : 60));
}
