namespace Orchestrator.Integration.Tests.ExternalAuth;

/// <summary>A fact that makes real system users (useradd, chpasswd, runuser): needs root; skipped, saying why, otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = $"needs root to create system users with useradd (running as {Environment.UserName})";
        }
        else if (!File.Exists("/usr/sbin/useradd") || !File.Exists("/usr/sbin/chpasswd") || !File.Exists("/usr/sbin/runuser"))
        {
            Skip = "needs useradd, chpasswd and runuser";
        }
    }
}
