namespace Orchestrator.Shared.Security;

/// <summary>
/// Files holding keys, job data or logs are readable by their owner only: 0600 files in 0700 directories, applied to
/// what already exists as well (an older install's 0755 cachedir), not only to what is created now. The daemons keep the
/// usual umask: files a state creates for the host (a web server's config) must stay readable as Salt makes them.
/// </summary>
public static class PrivateFiles
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

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="text"/> atomically (a 0600 temporary file beside it, 0600
    /// before any byte is written, then a rename), creating the directory if needed.
    /// </summary>
    public static void WriteAtomic(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = PrivateFileMode }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }
        // An existing temporary file keeps its mode through FileMode.Create: set it again.
        File.SetUnixFileMode(temp, PrivateFileMode);
        File.Move(temp, path, overwrite: true);
    }
}
