using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Orchestrator.Testing;

/// <summary>
/// Debian's sshd (unpacked by scripts/install-openssh-server.sh) on a loopback port with a config of its own: key
/// authentication only, for the keys a test authorizes, as the user running the tests. Git remotes on it are
/// <see cref="UrlOf"/>; stopped and removed on dispose.
/// </summary>
public sealed class SshServer : IDisposable
{
    public const string Binary = "/opt/orchestrator/openssh/usr/sbin/sshd";

    private readonly TempDir _dir = new();
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private SshServer(IEnumerable<string> authorizedPublicKeys)
    {
        Port = Executables.FreePort();
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", _dir.Combine("host_key"));
        File.WriteAllLines(_dir.Combine("authorized_keys"), authorizedPublicKeys);
        File.WriteAllText(_dir.Combine("sshd_config"), $"""
            Port {Port}
            ListenAddress 127.0.0.1
            HostKey {_dir.Combine("host_key")}
            PidFile {_dir.Combine("sshd.pid")}
            AuthorizedKeysFile {_dir.Combine("authorized_keys")}
            AuthenticationMethods publickey
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            PermitRootLogin prohibit-password
            StrictModes no
            AllowUsers {Environment.UserName}
            LogLevel VERBOSE

            """);
        var start = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-D", "-e", "-f", _dir.Combine("sshd_config") })
        {
            start.ArgumentList.Add(arg);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("sshd did not start");
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_log)
            {
                _log.AppendLine(e.Data);
            }
        };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public int Port { get; }

    /// <summary>What sshd logged so far (authentication attempts, refusals).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts sshd and waits until it accepts connections.</summary>
    public static async Task<SshServer> StartAsync(params string[] authorizedPublicKeys)
    {
        var server = new SshServer(authorizedPublicKeys);
        await Poll.UntilAsync(() =>
        {
            if (server._process.HasExited)
            {
                throw new InvalidOperationException($"sshd exited: {server.Log}");
            }
            try
            {
                using var client = new TcpClient("127.0.0.1", server.Port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, "sshd listening");
        return server;
    }

    /// <summary>An ssh URL of a repository path on this server.</summary>
    public string UrlOf(string repositoryPath) => $"ssh://{Environment.UserName}@127.0.0.1:{Port}{repositoryPath}";

    /// <summary>Makes an ed25519 key pair (with a passphrase, or none) and returns the private key's path and the public key line.</summary>
    public static (string PrivateKey, string PublicKey) MakeKey(string directory, string name, string passphrase = "")
    {
        var path = Path.Combine(directory, name);
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f", path);
        return (path, File.ReadAllText(path + ".pub").Trim());
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed: {error}");
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
        _dir.Dispose();
    }
}
