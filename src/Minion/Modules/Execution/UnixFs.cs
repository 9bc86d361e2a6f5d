namespace Orchestrator.Minion.Modules.Execution;

/// <summary>POSIX file operations behind one platform check, so modules stay callable (and fail cleanly) off Unix.</summary>
internal static class UnixFs
{
    public static UnixFileMode GetMode(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new ModuleException("POSIX file modes are not supported on Windows");
        }
        return File.GetUnixFileMode(path);
    }

    public static void SetMode(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new ModuleException("POSIX file modes are not supported on Windows");
        }
        File.SetUnixFileMode(path, mode);
    }
}
