using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>
/// A name's addresses exactly as <c>getaddrinfo</c> gives them (what Python's <c>socket.getaddrinfo</c> returns to Salt).
/// </summary>
/// <remarks>
/// .NET's <see cref="Dns"/> adds the addresses of every interface when the name is the local host name, so Salt's
/// <c>fqdn_ip4</c> of a host whose /etc/hosts maps its name to 127.0.0.1 would gain the LAN addresses. On 64-bit Linux this
/// calls libc directly (blittable arguments only, AOT-safe); elsewhere it falls back to <see cref="Dns"/>.
/// </remarks>
internal static class AddressLookup
{
    private const int AfInet = 2;
    private const int AfInet6 = 10;

    [DllImport("libc", EntryPoint = "getaddrinfo")]
    private static extern int GetAddrInfo(byte[] node, nint service, byte[] hints, out nint result);

    [DllImport("libc", EntryPoint = "freeaddrinfo")]
    private static extern void FreeAddrInfo(nint result);

    public static Task<IPAddress[]> ResolveAsync(string name, AddressFamily family, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8)
        {
            return Dns.GetHostAddressesAsync(name, family, cancellationToken);
        }
        // getaddrinfo blocks; run it off the caller's thread so the grain timeout can give up on it.
        return Task.Run(() => Resolve(name, family), cancellationToken);
    }

    private static IPAddress[] Resolve(string name, AddressFamily family)
    {
        // struct addrinfo on 64-bit glibc/musl: flags, family, socktype, protocol (ints), addrlen, then addr, canonname, next (pointers).
        var hints = new byte[48];
        BitConverter.TryWriteBytes(hints.AsSpan(4), family == AddressFamily.InterNetwork ? AfInet : AfInet6);
        var node = Encoding.UTF8.GetBytes(name + "\0");
        if (GetAddrInfo(node, 0, hints, out var list) != 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }
        var found = new List<IPAddress>();
        try
        {
            for (var entry = list; entry != 0; entry = Marshal.ReadIntPtr(entry, 40))
            {
                var entryFamily = Marshal.ReadInt32(entry, 4);
                var sockaddr = Marshal.ReadIntPtr(entry, 24);
                if (sockaddr == 0)
                {
                    continue;
                }
                if (entryFamily == AfInet)
                {
                    var bytes = new byte[4];
                    Marshal.Copy(sockaddr + 4, bytes, 0, 4);
                    found.Add(new IPAddress(bytes));
                }
                else if (entryFamily == AfInet6)
                {
                    var bytes = new byte[16];
                    Marshal.Copy(sockaddr + 8, bytes, 0, 16);
                    found.Add(new IPAddress(bytes, (uint)Marshal.ReadInt32(sockaddr, 24)));
                }
            }
        }
        finally
        {
            FreeAddrInfo(list);
        }
        return found.ToArray();
    }
}
