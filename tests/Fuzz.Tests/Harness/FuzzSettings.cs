using System.Globalization;

namespace Orchestrator.Fuzz.Tests.Harness;

/// <summary>
/// How long and with which seed the fuzz properties run. By default (CI's unit run) each property runs a fixed number of
/// cases from a fixed seed, so a run is short and repeatable; <c>ORCH_FUZZ_SECONDS</c> turns that into a time-bounded run
/// per property with fresh seeds.
/// </summary>
public sealed record FuzzSettings(int CasesPerBatch, TimeSpan Budget, ulong Seed, TimeSpan CaseTimeout)
{
    /// <summary>The fixed seed of the short run (any change makes CI explore other inputs).</summary>
    public const ulong DefaultSeed = 0x5EED_0F_0A5C;

    /// <summary>True for a time-bounded (long) run.</summary>
    public bool Long => Budget > TimeSpan.Zero;

    /// <summary>Reads <c>ORCH_FUZZ_SECONDS</c> (per property), <c>ORCH_FUZZ_SEED</c> and <c>ORCH_FUZZ_CASES</c>.</summary>
    public static FuzzSettings FromEnvironment()
    {
        var seconds = Read("ORCH_FUZZ_SECONDS", 0);
        var seed = Environment.GetEnvironmentVariable("ORCH_FUZZ_SEED") is { Length: > 0 } s
            ? ulong.Parse(s, CultureInfo.InvariantCulture)
            : seconds > 0 ? (ulong)DateTime.UtcNow.Ticks : DefaultSeed;
        return new FuzzSettings(
            CasesPerBatch: (int)Read("ORCH_FUZZ_CASES", seconds > 0 ? 2000 : 150),
            Budget: TimeSpan.FromSeconds(seconds),
            Seed: seed,
            CaseTimeout: TimeSpan.FromSeconds(Read("ORCH_FUZZ_CASE_TIMEOUT", 10)));
    }

    private static long Read(string name, long fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? long.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
