using System.Runtime.InteropServices;
using System.Text;

namespace Orchestrator.Minion.Beacons.Builtin;

/// <summary>The few Linux calls the inotify and log beacons need (inotify, non-blocking read, statx).</summary>
/// <remarks>Only blittable arguments (ints and byte arrays), so the calls need no runtime marshalling and stay AOT-safe.</remarks>
internal static class LinuxNative
{
    private const string Libc = "libc";
    public const int InNonBlock = 0x800;
    public const int InCloseOnExec = 0x80000;
    public const int EAgain = 11;
    private const int AtFdCwd = -100;
    private const uint StatxIno = 0x100;

    [DllImport(Libc, EntryPoint = "inotify_init1", SetLastError = true)]
    private static extern int InotifyInit1(int flags);

    [DllImport(Libc, EntryPoint = "inotify_add_watch", SetLastError = true)]
    private static extern int InotifyAddWatch(int fd, byte[] path, uint mask);

    [DllImport(Libc, EntryPoint = "inotify_rm_watch", SetLastError = true)]
    private static extern int InotifyRmWatch(int fd, int wd);

    [DllImport(Libc, EntryPoint = "read", SetLastError = true)]
    private static extern nint Read(int fd, byte[] buffer, nint count);

    [DllImport(Libc, EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    [DllImport(Libc, EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, byte[] path, int flags, uint mask, byte[] buffer);

    public static int InotifyInit()
    {
        var fd = InotifyInit1(InNonBlock | InCloseOnExec);
        return fd >= 0 ? fd : throw new IOException($"inotify_init1 failed: {Error()}");
    }

    /// <summary>Adds or updates a watch; returns the watch descriptor, or throws with errno's text.</summary>
    public static int AddWatch(int fd, string path, uint mask)
    {
        var wd = InotifyAddWatch(fd, CString(path), mask);
        return wd >= 0 ? wd : throw new IOException($"inotify_add_watch {path}: {Error()}");
    }

    public static void RemoveWatch(int fd, int wd) => InotifyRmWatch(fd, wd);

    /// <summary>Reads what is there without blocking; 0 when nothing is.</summary>
    public static int ReadAvailable(int fd, byte[] buffer)
    {
        var count = Read(fd, buffer, buffer.Length);
        if (count >= 0)
        {
            return (int)count;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno == EAgain ? 0 : throw new IOException($"reading inotify events failed: {Error(errno)}");
    }

    public static void CloseFd(int fd) => Close(fd);

    /// <summary>The inode of a path (following links), or null when it cannot be read; tells a rotated log from the old one.</summary>
    public static ulong? Inode(string path)
    {
        var buffer = new byte[256];
        if (Statx(AtFdCwd, CString(path), 0, StatxIno, buffer) != 0)
        {
            return null;
        }
        // struct statx keeps stx_ino at byte 32 on every architecture.
        return MemoryMarshal.Read<ulong>(buffer.AsSpan(32));
    }

    private static byte[] CString(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    private static string Error(int? errno = null) => Marshal.GetPInvokeErrorMessage(errno ?? Marshal.GetLastPInvokeError());
}
