using System.Runtime.InteropServices;

namespace Orchestrator.Master.ExternalAuth;

/// <summary>
/// The host's user database through libc (getpwuid_r, getpwnam_r, getgrouplist, getgrgid_r), so users and groups from
/// NSS (LDAP, sssd) count as they do for PAM, not only /etc/passwd.
/// </summary>
internal static class SystemUsers
{
    private const string Libc = "libc";
    private const int Erange = 34;

    [DllImport(Libc, EntryPoint = "getpwuid_r", SetLastError = true)]
    private static extern int GetPwUid(uint uid, IntPtr pwd, IntPtr buffer, nuint size, out IntPtr result);

    [DllImport(Libc, EntryPoint = "getpwnam_r", SetLastError = true)]
    private static extern int GetPwNam([MarshalAs(UnmanagedType.LPUTF8Str)] string name, IntPtr pwd, IntPtr buffer, nuint size, out IntPtr result);

    [DllImport(Libc, EntryPoint = "getgrgid_r", SetLastError = true)]
    private static extern int GetGrGid(uint gid, IntPtr grp, IntPtr buffer, nuint size, out IntPtr result);

    [DllImport(Libc, EntryPoint = "getgrouplist")]
    private static extern int GetGroupList([MarshalAs(UnmanagedType.LPUTF8Str)] string user, uint group, [Out] uint[] groups, ref int count);

    [DllImport(Libc, EntryPoint = "geteuid")]
    private static extern uint GetEuid();

    /// <summary>The effective uid of this process (the master's user).</summary>
    public static uint EffectiveUid => GetEuid();

    /// <summary>The name of <paramref name="uid"/>; null when the user database has no such user.</summary>
    public static string? NameOf(uint uid) =>
        WithRecord(48, (record, buffer, size) => (GetPwUid(uid, record, buffer, size, out var result), result),
            record => Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(record)));

    /// <summary>The uid and primary gid of <paramref name="name"/>; null when there is no such user.</summary>
    public static (uint Uid, uint Gid)? Find(string name)
    {
        if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }
        return WithRecord<(uint, uint)?>(48, (record, buffer, size) => (GetPwNam(name, record, buffer, size, out var result), result),
            record => ((uint)Marshal.ReadInt32(record, 16), (uint)Marshal.ReadInt32(record, 20)));
    }

    /// <summary>The names of the groups <paramref name="name"/> is in, the primary group included (Salt's <c>get_group_list</c>).</summary>
    public static IReadOnlyList<string> GroupsOf(string name)
    {
        if (Find(name) is not var (_, gid))
        {
            return [];
        }
        var count = 64;
        uint[] gids;
        while (true)
        {
            gids = new uint[count];
            var wanted = count;
            if (GetGroupList(name, gid, gids, ref wanted) >= 0)
            {
                count = wanted;
                break;
            }
            // Too small: glibc has put the number needed in wanted.
            count = Math.Max(wanted, count * 2);
            if (count > 65536)
            {
                return [];
            }
        }
        return gids.Take(count).Distinct().Select(GroupName).OfType<string>().ToList();
    }

    private static string? GroupName(uint gid) =>
        WithRecord(32, (record, buffer, size) => (GetGrGid(gid, record, buffer, size, out var result), result),
            record => Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(record)));

    /// <summary>Runs a reentrant libc lookup, growing its string buffer on ERANGE; null when nothing was found.</summary>
    private static T? WithRecord<T>(int recordSize, Func<IntPtr, IntPtr, nuint, (int Error, IntPtr Result)> lookup, Func<IntPtr, T?> read)
    {
        var size = 1024;
        while (size <= 1 << 20)
        {
            var record = Marshal.AllocHGlobal(recordSize);
            var buffer = Marshal.AllocHGlobal(size);
            try
            {
                var (error, result) = lookup(record, buffer, (nuint)size);
                if (error == Erange)
                {
                    size *= 4;
                    continue;
                }
                return error == 0 && result != IntPtr.Zero ? read(record) : default;
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
                Marshal.FreeHGlobal(record);
            }
        }
        return default;
    }
}
