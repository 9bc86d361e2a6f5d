using System.Diagnostics;

namespace Orchestrator.Integration.Tests;

/// <summary>Mounts and unmounts small tmpfs file systems for tests that need a disk they can fill.</summary>
internal static class Tmpfs
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    /// <summary>Why tmpfs cannot be mounted here (not root, no mount(8), a container without CAP_SYS_ADMIN), or null.</summary>
    public static string? WhyUnavailable => Unavailable.Value;

    public static void Mount(string path, string size)
    {
        var (exit, output) = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        if (exit != 0)
        {
            throw new InvalidOperationException($"mount -t tmpfs on {path} failed ({exit}): {output}");
        }
    }

    public static void Unmount(string path) => Run("umount", "-l", path);

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "tmpfs mounts need Linux";
        }
        var dir = Directory.CreateTempSubdirectory("orch-tmpfs-probe-").FullName;
        try
        {
            var (exit, output) = Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir);
            if (exit != 0)
            {
                return $"mount -t tmpfs is not permitted here (exit {exit}: {output.Trim()})";
            }
            Unmount(dir);
            return null;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"mount(8) cannot be run: {e.Message}";
        }
        finally
        {
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException)
            {
                // Still mounted after a failed umount: left for the OS temp cleaner.
            }
        }
    }

    private static (int Exit, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
