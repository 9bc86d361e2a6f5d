using System.Runtime.InteropServices;
using System.Text;

namespace Orchestrator.Master.ExternalAuth;

/// <summary>
/// The <c>pam</c> eauth: a real PAM transaction through libpam.so.0 (pam_start with a conversation that answers the
/// password, pam_authenticate, pam_acct_mgmt, pam_end) with the service of <c>auth.pam.service</c>, as Salt's
/// <c>salt/auth/pam.py</c> does. Blocking (modules such as pam_faildelay sleep on failure): call it off the request thread.
/// </summary>
internal static class PamAuthenticator
{
    private const string LibPam = "libpam.so.0";
    private const string Libc = "libc";
    private const int PamSuccess = 0;
    private const int PamConvErr = 19;
    private const int PamPromptEchoOff = 1;
    private const int PamPromptEchoOn = 2;
    private const int PamSilent = 0x8000;

    // pam_unix's "nullok" would let an account without a password in with an empty one: never over the network.
    private const int PamDisallowNullAuthtok = 0x1;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int Conversation(int count, IntPtr messages, IntPtr responses, IntPtr appData);

    [DllImport(LibPam, EntryPoint = "pam_start")]
    private static extern int PamStart(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string service, [MarshalAs(UnmanagedType.LPUTF8Str)] string user, IntPtr conversation,
        out IntPtr handle);

    [DllImport(LibPam, EntryPoint = "pam_authenticate")]
    private static extern int PamAuthenticate(IntPtr handle, int flags);

    [DllImport(LibPam, EntryPoint = "pam_acct_mgmt")]
    private static extern int PamAcctMgmt(IntPtr handle, int flags);

    [DllImport(LibPam, EntryPoint = "pam_end")]
    private static extern int PamEnd(IntPtr handle, int status);

    [DllImport(LibPam, EntryPoint = "pam_strerror")]
    private static extern IntPtr PamStrerror(IntPtr handle, int error);

    // PAM frees the responses with free(): they must come from libc's allocator.
    [DllImport(Libc, EntryPoint = "calloc")]
    private static extern IntPtr Calloc(nuint count, nuint size);

    /// <summary>The outcome of one PAM transaction: success, or the PAM step and its message.</summary>
    public readonly record struct Outcome(bool Success, string Detail);

    /// <summary>Authenticates <paramref name="user"/> with <paramref name="password"/> against PAM service <paramref name="service"/>.</summary>
    public static Outcome Authenticate(string service, string user, string password)
    {
        var secret = Encoding.UTF8.GetBytes(password);
        var login = Encoding.UTF8.GetBytes(user);
        Conversation conversation = (count, messages, responses, _) => Answer(count, messages, responses, secret, login);
        var conv = Marshal.AllocHGlobal(2 * IntPtr.Size);
        var handle = IntPtr.Zero;
        try
        {
            Marshal.WriteIntPtr(conv, 0, Marshal.GetFunctionPointerForDelegate(conversation));
            Marshal.WriteIntPtr(conv, IntPtr.Size, IntPtr.Zero);
            var status = PamStart(service, user, conv, out handle);
            if (status != PamSuccess)
            {
                return new Outcome(false, $"pam_start: {Message(handle, status)}");
            }
            status = PamAuthenticate(handle, PamSilent | PamDisallowNullAuthtok);
            var step = "pam_authenticate";
            if (status == PamSuccess)
            {
                step = "pam_acct_mgmt";
                status = PamAcctMgmt(handle, PamSilent | PamDisallowNullAuthtok);
            }
            var detail = status == PamSuccess ? "" : $"{step}: {Message(handle, status)}";
            PamEnd(handle, status);
            handle = IntPtr.Zero;
            return new Outcome(status == PamSuccess, detail);
        }
        finally
        {
            if (handle != IntPtr.Zero)
            {
                PamEnd(handle, PamSuccess);
            }
            Marshal.FreeHGlobal(conv);
            Array.Clear(secret);
            GC.KeepAlive(conversation);
        }
    }

    private static string Message(IntPtr handle, int status) =>
        (handle != IntPtr.Zero ? Marshal.PtrToStringUTF8(PamStrerror(handle, status)) : null) ?? $"PAM error {status}";

    /// <summary>The conversation: the password for hidden prompts, the user name for a visible one, nothing for notices.</summary>
    private static int Answer(int count, IntPtr messages, IntPtr responses, byte[] secret, byte[] login)
    {
        if (count is <= 0 or > 32)
        {
            return PamConvErr;
        }
        // struct pam_response { char *resp; int resp_retcode; }: two words with padding on 64-bit.
        var size = (nuint)(2 * IntPtr.Size);
        var answers = Calloc((nuint)count, size);
        if (answers == IntPtr.Zero)
        {
            return PamConvErr;
        }
        for (var i = 0; i < count; i++)
        {
            // Linux-PAM passes an array of pointers to struct pam_message { int msg_style; const char *msg; }.
            var message = Marshal.ReadIntPtr(messages, i * IntPtr.Size);
            var style = Marshal.ReadInt32(message);
            var text = style switch
            {
                PamPromptEchoOff => secret,
                PamPromptEchoOn => login,
                _ => null,
            };
            if (text is not null)
            {
                Marshal.WriteIntPtr(answers, i * (int)size, CString(text));
            }
        }
        Marshal.WriteIntPtr(responses, answers);
        return PamSuccess;
    }

    private static IntPtr CString(byte[] bytes)
    {
        var copy = Calloc((nuint)bytes.Length + 1, 1);
        if (copy != IntPtr.Zero)
        {
            Marshal.Copy(bytes, 0, copy, bytes.Length);
        }
        return copy;
    }
}
