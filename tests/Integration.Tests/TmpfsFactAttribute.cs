namespace Orchestrator.Integration.Tests;

/// <summary>A fact that needs to mount tmpfs; skipped, saying why, where mount is not permitted.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (Tmpfs.WhyUnavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
