using System.Text;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>The <c>init</c> grain, detected as Salt 3006's <c>_linux_init_system</c> does.</summary>
/// <remarks>
/// <c>systemd</c> when <c>/run/systemd/system</c> exists (systemd is running the host). Otherwise PID 1's command line decides: a
/// program found as <c>…bin/init</c> is read (through its links) for the first of "upstart", "sysvinit", "systemd" in its bytes;
/// supervisord, dumb-init, tini, runit and Phusion's my_init are recognised by name; anything else is <c>unknown</c>. So a container
/// whose PID 1 is a shell or an agent is <c>unknown</c> even where systemd and <c>/etc/init.d</c> are installed, as in Salt.
/// </remarks>
public sealed class InitGrains : IGrainProvider
{
    private static readonly string[] Supported = ["upstart", "sysvinit", "systemd"];

    public string Name => "init";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new Dictionary<string, object?> { ["init"] = Detect(context) });

    private static string Detect(GrainContext context)
    {
        if (context.HostExists("/run/systemd/system"))
        {
            return "systemd";
        }
        if (context.ReadHostFile("/proc/1/cmdline") is not { } raw)
        {
            return "unknown";
        }
        var cmdline = raw.Replace('\0', ' ').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (cmdline.Length == 0)
        {
            return "unknown";
        }
        var initBin = context.Which(cmdline[0]);
        if (initBin is not null && initBin.EndsWith("bin/init", StringComparison.Ordinal))
        {
            return FromBinary(context, initBin);
        }
        bool Runs(string program) => context.Which(program) is { } path && cmdline.Contains(path);
        if (Runs("supervisord"))
        {
            return "supervisord";
        }
        if (Runs("dumb-init"))
        {
            return "dumb-init";
        }
        if (Runs("tini"))
        {
            return "tini";
        }
        return cmdline is ["runit"] || cmdline.Contains("/sbin/my_init") ? "runit" : "unknown";
    }

    /// <summary>Scans the init binary in chunks (overlapping by the longest name) for the first known init name, lower-cased.</summary>
    private static string FromBinary(GrainContext context, string initBin)
    {
        const int chunk = 262144;
        var edgeLength = Supported.Max(s => s.Length) - 1;
        try
        {
            using var stream = File.OpenRead(initBin.StartsWith('/') ? context.HostPath(initBin) : initBin);
            var buffer = new byte[chunk];
            var edge = string.Empty;
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                // Latin-1 keeps one char per byte, so the names match as the bytes Salt compares.
                var text = edge + Encoding.Latin1.GetString(buffer, 0, read).ToLowerInvariant();
                foreach (var name in Supported)
                {
                    if (text.Contains(name, StringComparison.Ordinal))
                    {
                        return name;
                    }
                }
                edge = text[^Math.Min(edgeLength, text.Length)..];
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Salt logs and keeps "unknown".
        }
        return "unknown";
    }
}
