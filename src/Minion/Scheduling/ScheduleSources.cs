using Microsoft.Extensions.Logging;
using Orchestrator.Minion.Hosting;
using Orchestrator.Minion.Modules;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;
using Orchestrator.Shared.Rendering.Yaml;

namespace Orchestrator.Minion.Scheduling;

/// <summary>Where the minion's schedule comes from: its config, <c>minion.d/*.conf</c> (saved <c>_schedule.conf</c> included), and pillar.</summary>
internal static class ScheduleSources
{
    /// <summary>
    /// The config's <c>schedule:</c>, then each <c>minion.d/*.conf</c> in name order over it per job, as Salt's include of
    /// <c>minion.d</c> merges; a source that is not a mapping is logged and left out.
    /// </summary>
    public static Dictionary<string, object?> ReadOpts(MinionOptions options, ILogger logger)
    {
        var opts = new Dictionary<string, object?>(StringComparer.Ordinal);
        Merge(opts, options.Raw.GetValueOrDefault("schedule"), "minion config", logger);
        if (options.ConfigDir is not { Length: > 0 } dir || !Directory.Exists(Path.Combine(dir, "minion.d")))
        {
            return opts;
        }
        foreach (var file in Directory.GetFiles(Path.Combine(dir, "minion.d"), "*.conf").Order(StringComparer.Ordinal))
        {
            object? document;
            try
            {
                document = YamlLoader.Load(File.ReadAllText(file), file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlLoadException)
            {
                ScheduleLog.SourceInvalid(logger, file, e.Message);
                continue;
            }
            switch (document)
            {
                case null:
                    break;
                case Dictionary<string, object?> top:
                    Merge(opts, top.GetValueOrDefault("schedule"), file, logger);
                    break;
                default:
                    ScheduleLog.SourceInvalid(logger, file, "the file must be a mapping of configuration keys");
                    break;
            }
        }
        return opts;
    }

    /// <summary>Pillar <c>schedule:</c>; anything but a mapping is logged and left out.</summary>
    public static Dictionary<string, object?> ReadPillar(ModuleContext context, ILogger logger)
    {
        object? schedule;
        lock (context.Pillar)
        {
            schedule = DictUpdate.DeepCopy(context.Pillar.GetValueOrDefault("schedule"));
        }
        var pillar = new Dictionary<string, object?>(StringComparer.Ordinal);
        Merge(pillar, schedule, "pillar", logger);
        return pillar;
    }

    private static void Merge(Dictionary<string, object?> into, object? source, string name, ILogger logger)
    {
        switch (DataTree.Normalize(source))
        {
            case null:
                break;
            case Dictionary<string, object?> map:
                foreach (var (job, data) in map)
                {
                    into[job] = DictUpdate.DeepCopy(data);
                }
                break;
            default:
                ScheduleLog.SourceInvalid(logger, name, "'schedule' must be a mapping of job names to their options");
                break;
        }
    }
}
