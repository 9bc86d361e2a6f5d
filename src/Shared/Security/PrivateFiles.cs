using System.Runtime.InteropServices;

namespace Orchestrator.Shared.Security;

/// <summary>
/// Files holding keys, job data or logs are readable by their owner only: 0600 files in 0700 directories, applied to
/// what already exists as well (an older install's 0755 cachedir), not only to what is created now.
/// </summary>
public static partial class PrivateFiles
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> (and missing parents) and makes it 0700.</summary>
    public static void EnsureDirectory(string path)
    {
        Directory.CreateDirectory(path, DirectoryMode);
        File.SetUnixFileMode(path, DirectoryMode);
    }

    /// <summary>Creates <paramref name="path"/> empty if it is missing and makes it 0600, before anything writes to it.</summary>
    public static void EnsureFile(string path)
    {
        if (!File.Exists(path))
        {
            using var _ = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.Write,
                UnixCreateMode = PrivateFileMode,
            });
        }
        File.SetUnixFileMode(path, PrivateFileMode);
    }

    /// <summary>Makes <paramref name="path"/> 0600 when it exists.</summary>
    public static void Restrict(string path)
    {
        if (File.Exists(path))
        {
            File.SetUnixFileMode(path, PrivateFileMode);
        }
    }

    /// <summary>Sets the process umask to 077, so every file a daemon creates later is private from the start.</summary>
    public static void RestrictUmask() => _ = Umask(0b000_111_111);

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);
}
