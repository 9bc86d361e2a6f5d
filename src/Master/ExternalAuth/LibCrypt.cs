using System.Runtime.InteropServices;
using System.Text;

namespace Orchestrator.Master.ExternalAuth;

/// <summary>
/// The system's libcrypt (Debian's libxcrypt): verifies and makes the crypt(3) hashes htpasswd files hold
/// (<c>$2b$</c>/<c>$2y$</c> bcrypt, <c>$5$</c> sha256-crypt, <c>$6$</c> sha512-crypt, <c>$y$</c> yescrypt...).
/// </summary>
internal static class LibCrypt
{
    private const string Library = "libcrypt.so.1";

    // libxcrypt's struct crypt_data is 32768 bytes; crypt_rn takes the size, so a larger buffer is fine.
    private const int DataSize = 32768;

    [DllImport(Library, EntryPoint = "crypt_rn")]
    private static extern IntPtr CryptRn(byte[] phrase, byte[] setting, IntPtr data, int size);

    [DllImport(Library, EntryPoint = "crypt_gensalt_rn")]
    private static extern IntPtr CryptGensaltRn(byte[] prefix, nuint count, IntPtr randomBytes, int randomSize, byte[] output, int outputSize);

    /// <summary>crypt(3) of <paramref name="password"/> with <paramref name="setting"/> (a whole hash or a salt); null when libcrypt refuses it.</summary>
    public static string? Hash(string password, string setting)
    {
        var data = Marshal.AllocHGlobal(DataSize);
        try
        {
            var result = CryptRn(Terminated(password), Terminated(setting), data, DataSize);
            var text = result == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(result);
            // libxcrypt fails with "*0"/"*1" in some builds rather than NULL.
            return text is null || text.StartsWith('*') ? null : text;
        }
        finally
        {
            // The buffer held the password's key schedule.
            Clear(data);
            Marshal.FreeHGlobal(data);
        }
    }

    /// <summary>A fresh setting (salt) for <paramref name="prefix"/> (<c>$2b$</c>, <c>$6$</c>...) from libcrypt's own randomness.</summary>
    public static string MakeSetting(string prefix, ulong cost = 0)
    {
        var output = new byte[256];
        var result = CryptGensaltRn(Terminated(prefix), (nuint)cost, IntPtr.Zero, 0, output, output.Length);
        if (result == IntPtr.Zero)
        {
            throw new InvalidOperationException($"libcrypt cannot make a setting for '{prefix}'");
        }
        // The answer is written into output, which was pinned only during the call: read the array, not the pointer.
        var end = Array.IndexOf(output, (byte)0);
        return Encoding.UTF8.GetString(output, 0, end < 0 ? output.Length : end);
    }

    private static byte[] Terminated(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    private static void Clear(IntPtr data) => Marshal.Copy(new byte[DataSize], 0, data, DataSize);
}
