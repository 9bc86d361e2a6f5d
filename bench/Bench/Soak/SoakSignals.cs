using System.Runtime.InteropServices;

namespace Orchestrator.Bench.Soak;

/// <summary>The signals the soak sends to the daemons it started (and only to those): TERM, KILL, STOP, CONT.</summary>
internal static partial class SoakSignals
{
    public const int Term = 15;
    public const int Kill = 9;
    public const int Stop = 19;
    public const int Continue = 18;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    /// <summary>False when there is no such process.</summary>
    public static bool Send(int pid, int signal) => SendSignal(pid, signal) == 0;
}
