using Orchestrator.Shared.Security;

namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>
/// The ssh command libgit2 runs for an ssh remote (its <c>core.sshCommand</c>): a small 0700 script in the cache that
/// calls the system's OpenSSH with the remote's key, never prompts, and keeps host keys it has seen in the cache's
/// <c>known_hosts</c> (trust on first use; keys in the user's own known_hosts are honoured). With a passphrase, OpenSSH
/// reads it through an askpass script from a 0600 file, so it never appears on a command line or in the environment.
/// </summary>
internal static class GitSshCommand
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Writes the scripts of the remote whose cache is <paramref name="cacheDir"/> and returns the command.</summary>
    public static string Write(string cacheRoot, string cacheDir, GitCredentials credentials)
    {
        var script = cacheDir + ".ssh";
        var options = new List<string>
        {
            "-o", "StrictHostKeyChecking=accept-new",
            "-o", Quote("UserKnownHostsFile=" + Path.Combine(cacheRoot, "known_hosts") + " ~/.ssh/known_hosts"),
            "-o", "PasswordAuthentication=no",
            "-o", "KbdInteractiveAuthentication=no",
        };
        if (credentials.Privkey.Length > 0)
        {
            options.AddRange(["-o", "IdentitiesOnly=yes", "-i", Quote(Path.GetFullPath(credentials.Privkey))]);
        }
        var environment = "";
        if (credentials.Passphrase.Length > 0)
        {
            var secret = cacheDir + ".passphrase";
            var askpass = cacheDir + ".askpass";
            PrivateFiles.WriteAtomic(secret, credentials.Passphrase + "\n");
            WriteExecutable(askpass, $"#!/bin/sh\nexec cat {Quote(secret)}\n");
            environment = $"SSH_ASKPASS={Quote(askpass)} SSH_ASKPASS_REQUIRE=force; export SSH_ASKPASS SSH_ASKPASS_REQUIRE\n";
            options.AddRange(["-o", "NumberOfPasswordPrompts=1"]);
        }
        else
        {
            options.AddRange(["-o", "BatchMode=yes"]);
            File.Delete(cacheDir + ".passphrase");
            File.Delete(cacheDir + ".askpass");
        }
        WriteExecutable(script, "#!/bin/sh\n# Written by the orchestrator master for one git remote (see its gitfs docs).\n"
            + environment + $"exec ssh {string.Join(' ', options)} \"$@\"\n");
        return script;
    }

    private static void WriteExecutable(string path, string text)
    {
        PrivateFiles.WriteAtomic(path, text);
        File.SetUnixFileMode(path, Executable);
    }

    // POSIX shell single quotes: nothing inside is special but the quote itself.
    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
