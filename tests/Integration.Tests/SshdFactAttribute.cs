using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// A fact that needs Debian's sshd (scripts/install-openssh-server.sh, run first by ./build.sh test) and root (sshd's
/// privilege separation); skipped, saying why, where it could not be unpacked.
/// </summary>
public sealed class SshdFactAttribute : FactAttribute
{
    public SshdFactAttribute()
    {
        if (!File.Exists(SshServer.Binary))
        {
            Skip = $"{SshServer.Binary} is missing: scripts/install-openssh-server.sh could not unpack sshd here";
        }
        else if (Environment.UserName != "root")
        {
            Skip = "needs root: sshd's privilege separation";
        }
    }
}
