using System.Runtime.InteropServices;

namespace Orchestrator.Bench;

/// <summary>The few libc calls the bench needs: the open-file limit and sending SIGTERM to its own child processes, SIGKILL to the nginx it crashes.</summary>
internal static partial class Native
{
    private const int RlimitNofile = 7;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Raises the soft open-file limit to the hard limit (children inherit it); returns (soft, hard) after.</summary>
    public static (ulong Soft, ulong Hard) RaiseOpenFileLimit()
    {
        if (GetRLimit(RlimitNofile, out var limit) != 0)
        {
            return (0, 0);
        }
        if (limit.Current < limit.Max)
        {
            var raised = new RLimit { Current = limit.Max, Max = limit.Max };
            if (SetRLimit(RlimitNofile, raised) == 0)
            {
                limit = raised;
            }
        }
        return (limit.Current, limit.Max);
    }

    public static void Terminate(int pid) => _ = Kill(pid, 15);

    /// <summary>Sends SIGKILL (the healing benchmark's crash); false when there is no such process.</summary>
    public static bool KillHard(int pid) => Kill(pid, 9) == 0;
}
