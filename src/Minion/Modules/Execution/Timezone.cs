using System.Text.RegularExpressions;
using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>
/// Salt's <c>timezone</c> module on Debian: <c>timedatectl</c> when it is installed (and fails, as in Salt, when systemd is not
/// running), else <c>/etc/timezone</c>, the <c>/etc/localtime</c> link and <c>/etc/adjtime</c>.
/// </summary>
/// <remarks>The files under <c>/etc</c> are taken under the host root; zone data is read from the real <c>/usr/share/zoneinfo</c>.</remarks>
[ExecutionModule("timezone")]
public sealed partial class TimezoneModule : IExecutionModule
{
    private const string ZoneInfo = "/usr/share/zoneinfo/";
    private readonly IProcessRunner _runner;
    private readonly string _root;
    private readonly bool? _timedatectl;

    /// <param name="runner">Runs timedatectl and tail.</param>
    /// <param name="root">Host root for /etc; "/" outside tests.</param>
    /// <param name="timedatectl">Whether timedatectl is used; null finds out with PATH, as Salt does.</param>
    public TimezoneModule(IProcessRunner runner, string root = "/", bool? timedatectl = null)
    {
        _runner = runner;
        _root = root;
        _timedatectl = timedatectl;
        Functions =
        [
            new("get_hwclock", "Get current hardware clock setting (UTC or localtime).\n\nCLI Example: orch '*' timezone.get_hwclock", [],
                async (c, ct) => await GetHwclockAsync(c.Context, ct).ConfigureAwait(false)),
            new("get_zone", "Get current timezone (i.e. America/Denver).\n\nCLI Example: orch '*' timezone.get_zone", [],
                async (c, ct) => await GetZoneAsync(c.Context, ct).ConfigureAwait(false)),
            new("set_hwclock", "Sets the hardware clock to be either UTC or localtime.\n\nCLI Example: orch '*' timezone.set_hwclock UTC", [Req("clock")],
                async (c, ct) => await SetHwclockAsync(c.Context, c.RequireString("clock"), ct).ConfigureAwait(false)),
            new("set_zone", "Unlinks, then symlinks /etc/localtime to the set timezone, and writes /etc/timezone.\n\n" +
                "CLI Example: orch '*' timezone.set_zone 'America/Denver'", [Req("timezone")],
                async (c, ct) => await SetZoneAsync(c.Context, c.RequireString("timezone"), ct).ConfigureAwait(false)),
            new("zone_compare", "Compares the given timezone with the one set in /etc/localtime (file contents). Returns True if they match.\n\n" +
                "CLI Example: orch '*' timezone.zone_compare 'America/Denver'", [Req("timezone")],
                (c, _) => Task.FromResult<object?>(ZoneCompare(c.Context, c.RequireString("timezone")))),
        ];
    }

    public string Doc => "Manage the system timezone and hardware clock setting.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private bool UseTimedatectl => _timedatectl ?? HostCommand.Which("timedatectl");

    private string Etc(string path) => HostCommand.Rooted(_root, path);

    private async Task<string> TimedatectlAsync(CancellationToken cancellationToken)
    {
        var result = await HostCommand.RunAsync(_runner, "timedatectl", [], cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new ModuleException($"timedatectl failed: {result.Stderr.TrimEnd('\n')}");
        }
        return result.Stdout;
    }

    public async Task<string> GetZoneAsync(ModuleContext context, CancellationToken cancellationToken)
    {
        if (UseTimedatectl)
        {
            var output = await TimedatectlAsync(cancellationToken).ConfigureAwait(false);
            foreach (var line in output.Split('\n').Select(l => l.Trim()))
            {
                if (ZoneLine().Match(line) is { Success: true } match)
                {
                    return match.Groups[1].Value;
                }
            }
            throw new ModuleException($"Failed to parse timedatectl output: {output}");
        }
        DebianOnly.Require(context, "timezone.get_zone");
        try
        {
            return (await File.ReadAllTextAsync(Etc("/etc/timezone"), cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleException($"Problem reading timezone file /etc/timezone: {e.Message}");
        }
    }

    public bool ZoneCompare(ModuleContext context, string timezone)
    {
        DebianOnly.Require(context, "timezone.zone_compare");
        var zone = ZoneInfo + timezone;
        if (!File.Exists(zone))
        {
            throw new ModuleException($"Can't find a local timezone \"{timezone}\"");
        }
        var localtime = Etc("/etc/localtime");
        try
        {
            return File.ReadAllBytes(localtime).AsSpan().SequenceEqual(File.ReadAllBytes(zone));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleException($"Failed to read /etc/localtime to determine current timezone: {e.Message}");
        }
    }

    public async Task<object?> GetHwclockAsync(ModuleContext context, CancellationToken cancellationToken)
    {
        if (UseTimedatectl)
        {
            var output = await TimedatectlAsync(cancellationToken).ConfigureAwait(false);
            foreach (var line in output.Split('\n').Select(l => l.Trim()))
            {
                if (line.Contains("rtc in local tz", StringComparison.OrdinalIgnoreCase))
                {
                    return line.Split(':')[^1].Trim().Equals("yes", StringComparison.OrdinalIgnoreCase) ? "localtime" : "UTC";
                }
            }
            throw new ModuleException($"Failed to parse timedatectl output: {output}");
        }
        DebianOnly.Require(context, "timezone.get_hwclock");
        var rcs = Etc("/etc/default/rcS");
        if (File.Exists(rcs))
        {
            foreach (var line in await File.ReadAllLinesAsync(rcs, cancellationToken).ConfigureAwait(false))
            {
                if (!line.TrimStart().StartsWith('#') && line.Contains("UTC=", StringComparison.Ordinal))
                {
                    return line.Split('=')[^1].Equals("yes", StringComparison.OrdinalIgnoreCase) ? "UTC" : "localtime";
                }
            }
        }
        var adjtime = Etc("/etc/adjtime");
        if (File.Exists(adjtime))
        {
            return HostCommand.Out(await HostCommand.RunAsync(_runner, "tail", ["-n", "1", adjtime], cancellationToken, mergeStderr: true)
                .ConfigureAwait(false));
        }
        if (File.Exists(Etc("/dev/rtc")))
        {
            throw new ModuleException("Unable to get hwclock timezone from /etc/adjtime");
        }
        return null;
    }

    public async Task<object?> SetZoneAsync(ModuleContext context, string timezone, CancellationToken cancellationToken)
    {
        if (UseTimedatectl)
        {
            // Salt ignores the outcome and goes on writing the files itself.
            await HostCommand.RunAsync(_runner, "timedatectl", ["set-timezone", timezone], cancellationToken, mergeStderr: true).ConfigureAwait(false);
        }
        DebianOnly.Require(context, "timezone.set_zone");
        var zone = ZoneInfo + timezone;
        if (!File.Exists(zone))
        {
            return $"Zone does not exist: {zone}";
        }
        var localtime = Etc("/etc/localtime");
        if (File.Exists(localtime) || new FileInfo(localtime).LinkTarget is not null)
        {
            File.Delete(localtime);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(localtime)!);
        File.CreateSymbolicLink(localtime, zone);
        await File.WriteAllTextAsync(Etc("/etc/timezone"), timezone.Trim() + "\n", cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<object?> SetHwclockAsync(ModuleContext context, string clock, CancellationToken cancellationToken)
    {
        if (UseTimedatectl)
        {
            var result = await HostCommand.RunAsync(_runner, "timedatectl", ["set-local-rtc", clock == "localtime" ? "true" : "false"], cancellationToken)
                .ConfigureAwait(false);
            return result.ExitCode == 0;
        }
        DebianOnly.Require(context, "timezone.set_hwclock");
        var timezone = await GetZoneAsync(context, cancellationToken).ConfigureAwait(false);
        var zone = ZoneInfo + timezone;
        if (!File.Exists(zone))
        {
            throw new ModuleException($"Zone '{zone}' does not exist");
        }
        var localtime = Etc("/etc/localtime");
        File.Delete(localtime);
        File.CreateSymbolicLink(localtime, zone);
        var rcs = Etc("/etc/default/rcS");
        if (File.Exists(rcs) && clock is "UTC" or "localtime")
        {
            var text = await File.ReadAllTextAsync(rcs, cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(rcs, UtcLine().Replace(text, clock == "UTC" ? "UTC=yes" : "UTC=no"), cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    [GeneratedRegex(@"Time ?zone:\s+(\S+)")]
    private static partial Regex ZoneLine();

    [GeneratedRegex("^UTC=.*", RegexOptions.Multiline)]
    private static partial Regex UtcLine();
}
