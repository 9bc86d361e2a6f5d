using System.Diagnostics;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests.Console;

/// <summary>
/// A fact that needs Debian's chromium; where it is missing, scripts/install-chromium.sh is run once (build.cake runs it
/// before the tests too) and, when it cannot install chromium, the test is skipped with the script's own reason.
/// xUnit 2 decides skips at discovery, hence an attribute.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>The browser binary: ORCH_CHROMIUM, or Debian's /usr/bin/chromium.</summary>
    public static readonly string Binary = Environment.GetEnvironmentVariable("ORCH_CHROMIUM") is { Length: > 0 } custom ? custom : "/usr/bin/chromium";

    private static readonly Lazy<string?> _missing = new(FindOrInstall);

    public ChromiumFactAttribute()
    {
        if (_missing.Value is { } reason)
        {
            Skip = reason;
        }
    }

    private static string? FindOrInstall()
    {
        if (File.Exists(Binary))
        {
            return null;
        }
        var script = Path.Combine(RepoPaths.Root, "scripts", "install-chromium.sh");
        try
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
            start.ArgumentList.Add(script);
            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            var stderr = process.StandardError.ReadToEnd().Trim();
            process.WaitForExit();
            if (process.ExitCode == 0 && File.Exists(Binary))
            {
                return null;
            }
            return stderr.Length > 0 ? stderr.Split('\n')[^1] : $"{Binary} is missing and {script} exited {process.ExitCode}";
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception)
        {
            return $"{Binary} is missing and {script} could not run: {e.Message}";
        }
    }
}
