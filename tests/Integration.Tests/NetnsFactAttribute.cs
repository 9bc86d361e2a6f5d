namespace Orchestrator.Integration.Tests;

/// <summary>A fact that needs Linux network namespaces (root, CAP_NET_ADMIN, iproute2's ip); skipped, saying why, elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NetnsFactAttribute : FactAttribute
{
    public NetnsFactAttribute()
    {
        if (Master.Cloud.NetnsDriver.WhyUnavailable() is { } reason)
        {
            Skip = reason;
        }
    }
}
