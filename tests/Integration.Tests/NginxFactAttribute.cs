namespace Orchestrator.Integration.Tests;

/// <summary>
/// A fact that needs Debian's nginx and root (it writes an init script to /etc/init.d); skipped, saying why, where
/// scripts/install-nginx.sh could not install nginx. xUnit 2 decides skips at discovery, hence an attribute.
/// </summary>
public sealed class NginxFactAttribute : FactAttribute
{
    public const string Binary = "/opt/orchestrator/nginx/usr/sbin/nginx";

    public NginxFactAttribute()
    {
        if (!File.Exists(Binary))
        {
            Skip = $"{Binary} is missing: scripts/install-nginx.sh (run first by ./build.sh test) could not install nginx here";
        }
        else if (Environment.UserName != "root")
        {
            Skip = "needs root: the nginx state writes /etc/init.d/orch-nginx-<id>";
        }
    }
}
