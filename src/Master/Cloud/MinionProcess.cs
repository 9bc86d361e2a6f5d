using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Orchestrator.Master.Cloud;

/// <summary>
/// Starts a node's <c>orch-minion</c> detached from the master (its own session, reparented to init, output to
/// <c>minion.out</c> in its root) and stops it by its pid file: SIGTERM, then SIGKILL when it does not stop in time.
/// </summary>
/// <remarks>
/// A pid is trusted only while <c>/proc/PID/cmdline</c> still names the node's root dir, so a recycled pid is never
/// signalled.
/// </remarks>
internal static partial class MinionProcess
{
    private const int SigKill = 9;
    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>
    /// Runs <paramref name="command"/> in the background through <c>sh</c>, which writes the pid to <paramref name="pidFile"/>
    /// and exits; the command's own process (<c>setsid</c> and <c>ip netns exec</c> exec in place) keeps that pid.
    /// </summary>
    public static async Task<int> StartAsync(IReadOnlyList<string> command, string outFile, string pidFile, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("out=$1; pidfile=$2; shift 2; \"$@\" </dev/null >>\"$out\" 2>&1 & echo $! >\"$pidfile\"");
        start.ArgumentList.Add("orch-cloud");
        start.ArgumentList.Add(outFile);
        start.ArgumentList.Add(pidFile);
        foreach (var word in command)
        {
            start.ArgumentList.Add(word);
        }
        using var shell = Process.Start(start) ?? throw new InvalidOperationException("could not start /bin/sh");
        shell.StandardInput.Close();
        var stderr = shell.StandardError.ReadToEndAsync(cancellationToken);
        await shell.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (shell.ExitCode != 0 || !File.Exists(pidFile))
        {
            throw new InvalidOperationException($"could not start the minion: {(await stderr.ConfigureAwait(false)).Trim()}");
        }
        Shared.Security.PrivateFiles.Restrict(pidFile);
        return ReadPid(pidFile) ?? throw new InvalidOperationException($"could not start the minion: no pid in {pidFile}");
    }

    public static int? ReadPid(string pidFile)
    {
        try
        {
            return int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 1 ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="pid"/> is alive (not a zombie) and is the minion of <paramref name="rootDir"/>.</summary>
    public static bool IsRunning(int pid, string rootDir)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The state letter follows the command name in parentheses, which may itself hold spaces.
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            if (state is 'Z' or 'X')
            {
                return false;
            }
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            // Empty while the process is between fork and exec (sh starting setsid, setsid starting orch-minion): alive,
            // and not yet anything else's; once it has a command line, it must be this node's minion (not a reused pid).
            return cmdline.Length == 0 || cmdline.Split('\0').Contains(rootDir, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Stops the node's minion: SIGTERM, then SIGKILL after <paramref name="grace"/>; returns how it ended.</summary>
    public static async Task<string> StopAsync(int pid, string rootDir, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!IsRunning(pid, rootDir))
        {
            return "not running";
        }
        Kill(pid, SigTerm);
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline)
        {
            if (!IsRunning(pid, rootDir))
            {
                return "stopped";
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        Kill(pid, SigKill);
        for (var i = 0; i < 100 && IsRunning(pid, rootDir); i++)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
        return IsRunning(pid, rootDir) ? throw new InvalidOperationException($"minion process {pid} did not stop after SIGKILL") : "killed";
    }
}
