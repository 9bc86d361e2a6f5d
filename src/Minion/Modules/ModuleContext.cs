using Orchestrator.Minion.Beacons;
using Orchestrator.Minion.Events;
using Orchestrator.Minion.Scheduling;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules;

/// <summary>What a module function may see of the minion it runs on: identity, grains, pillar, options and services.</summary>
public sealed class ModuleContext
{
    /// <summary>Salt's <c>MINION_PILLAR_REFRESH_COMPLETE</c>, fired on the minion's own bus whenever the pillar is replaced.</summary>
    public const string PillarRefreshCompleteTag = "/salt/minion/minion_pillar_refresh_complete";

    public required string MinionId { get; init; }

    /// <summary>Grains of this minion; <c>grains.setval</c> changes them in place.</summary>
    public required Dictionary<string, object?> Grains { get; init; }

    public Dictionary<string, object?> Pillar { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Collects this minion's grains afresh (providers, saved and configured grains); null where nothing can.</summary>
    public Func<CancellationToken, Task<Dictionary<string, object?>>>? GrainsSource { get; init; }

    /// <summary>The minion's configuration as a data tree (Salt's <c>opts</c>).</summary>
    public required Dictionary<string, object?> Opts { get; init; }

    public required IModuleInvoker Modules { get; init; }

    public required string CacheDir { get; init; }

    public IFileClient? Files { get; init; }

    public IPillarSource? PillarSource { get; init; }

    public IRunningJobs? Jobs { get; init; }

    /// <summary>Fires events to the master's bus or this minion's local bus; null where there is neither.</summary>
    public IMinionEvents? Events { get; init; }

    /// <summary>The minion's beacons, changed at run time by <c>beacons.*</c>; null where none run (<c>orch call --local</c>).</summary>
    public BeaconManager? Beacons { get; init; }

    /// <summary>The minion's scheduler, changed at run time by <c>schedule.*</c>; null where none runs (<c>orch call --local</c>).</summary>
    public ScheduleManager? Schedule { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The jid of the job being run, when there is one.</summary>
    public string? Jid { get; init; }

    /// <summary>Returns a copy of this context for another job (shares grains, pillar and services).</summary>
    public ModuleContext ForJob(string? jid) => Copy(Pillar, PillarSource, jid);

    /// <summary>
    /// This context with another pillar (a state run's fresh one, or the pillar being compiled) and pillar source (null
    /// where a render must not ask for the pillar it is part of).
    /// </summary>
    public ModuleContext WithPillar(Dictionary<string, object?> pillar, IPillarSource? pillarSource) => Copy(pillar, pillarSource, Jid);

    /// <summary>This context reading <c>salt://</c> through another file client (a state run's pinned one).</summary>
    public ModuleContext WithFiles(IFileClient files) => Copy(Pillar, PillarSource, Jid, files);

    private ModuleContext Copy(Dictionary<string, object?> pillar, IPillarSource? pillarSource, string? jid, IFileClient? files = null) => new()
    {
        MinionId = MinionId,
        Grains = Grains,
        Pillar = pillar,
        GrainsSource = GrainsSource,
        Opts = Opts,
        Modules = Modules,
        CacheDir = CacheDir,
        Files = files ?? Files,
        PillarSource = pillarSource,
        Jobs = Jobs,
        Events = Events,
        Beacons = Beacons,
        Schedule = Schedule,
        Time = Time,
        Jid = jid,
    };

    /// <summary>
    /// Replaces the pillar's contents in place: jobs share this one dictionary (see <see cref="ForJob"/>), so every later
    /// job sees the new values. Then fires <see cref="PillarRefreshCompleteTag"/> locally, as Salt's minion does, so the
    /// beacons reload theirs.
    /// </summary>
    public void ReplacePillar(Dictionary<string, object?> fresh)
    {
        lock (Pillar)
        {
            Pillar.Clear();
            foreach (var (key, value) in fresh)
            {
                Pillar[key] = value;
            }
        }
        Events?.FireLocal(PillarRefreshCompleteTag, new Dictionary<string, object?>(StringComparer.Ordinal) { ["complete"] = true });
    }

    /// <summary>Replaces the grains' contents in place, so every job sharing this dictionary (see <see cref="ForJob"/>) sees them.</summary>
    public void ReplaceGrains(Dictionary<string, object?> fresh)
    {
        lock (Grains)
        {
            Grains.Clear();
            foreach (var (key, value) in fresh)
            {
                Grains[key] = value;
            }
        }
    }

    /// <summary>Looks up a value in opts by Salt's colon-delimited path.</summary>
    public object? Opt(string key) => Opts.TryGetValue(key, out var value) ? value : null;

    /// <summary>
    /// Reads a value with <c>a:b:c</c> traversal from a tree (grains.item, pillar.item, config.option, contents_pillar):
    /// Salt's <c>traverse_dict_and_list</c> (<see cref="SaltData.Traverse(object?, string, object?, string)"/>), null when
    /// the path is missing.
    /// </summary>
    public static object? Traverse(object? tree, string path, char delimiter = ':') =>
        DataTree.Normalize(SaltData.Traverse(tree, path, null, delimiter.ToString()));
}
