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
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = OperatingSystem.IsWindows() ? null : UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temp, path, overwrite: true);
    }
}
