namespace Orchestrator.Testing;

/// <summary>Throwaway values for tests.</summary>
public static class Some
{
    private static int _counter;

    public static int Int() => Interlocked.Increment(ref _counter);

    public static string MinionId() => $"minion-{Int()}";

    /// <summary>A fresh temporary directory, removed by the caller's <see cref="TempDir.Dispose"/>.</summary>
    public static TempDir TempDir() => new();
}
