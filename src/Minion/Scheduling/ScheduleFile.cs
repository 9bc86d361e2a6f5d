using Orchestrator.Shared.Security;
using Orchestrator.Minion.Beacons;

namespace Orchestrator.Minion.Scheduling;

/// <summary><c>&lt;config dir&gt;/minion.d/_schedule.conf</c>, where the schedule is persisted as Salt's <c>Schedule.persist</c> does.</summary>
public static class ScheduleFile
{
    public static string PathIn(string configDir) => Path.Combine(configDir, "minion.d", "_schedule.conf");

    /// <summary>Writes <c>schedule: {...}</c> as PyYAML's <c>safe_dump</c>, readable by the owner only (jobs may carry secrets in their arguments).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, object?> schedule)
    {
        var text = BeaconsFile.Yaml(new Dictionary<string, object?>(StringComparer.Ordinal) { ["schedule"] = schedule });
        // The file may name pid files, URLs, log paths and job arguments: the owner's alone.
        PrivateFiles.WriteAtomic(path, text);
    }
}
