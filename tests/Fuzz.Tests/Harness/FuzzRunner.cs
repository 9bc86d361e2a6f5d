using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Xunit.Abstractions;

namespace Orchestrator.Fuzz.Tests.Harness;

/// <summary>
/// Runs one fuzz property: FsCheck generates inputs, each runs on a pool thread under a time limit and an allocation
/// limit, and the first input that misbehaves is shrunk and reported with the seed that reproduces it.
/// </summary>
public static class FuzzRunner
{
    /// <summary>What one input may allocate, unless the property says otherwise, before it counts as a finding.</summary>
    public const long MaxAllocatedBytes = 256L * 1024 * 1024;

    // SplitMix gamma (odd); fixed so a seed alone names a run.
    private const ulong Gamma = 0x9E3779B97F4A7C15;

    /// <summary>Checks <paramref name="target"/> on inputs from <paramref name="gen"/>; it throws <see cref="FuzzFinding"/> on misbehaviour.</summary>
    /// <param name="allocationLimit">Bytes one input may allocate (default <see cref="MaxAllocatedBytes"/>).</param>
    public static void Run<T>(
        ITestOutputHelper output, string name, Gen<T> gen, Func<T, IEnumerable<T>> shrink, Action<T> target, Func<T, long>? allocationLimit = null)
    {
        var settings = FuzzSettings.FromEnvironment();
        var arbitrary = Arb.From(gen, shrink);
        var property = Prop.ForAll(arbitrary, (T input) => Guard(input, target, settings, allocationLimit?.Invoke(input) ?? MaxAllocatedBytes));
        var deadline = DateTime.UtcNow + settings.Budget;
        var seed = settings.Seed;
        var cases = 0L;
        var started = DateTime.UtcNow;
        do
        {
            var config = Config.QuickThrowOnFailure
                .WithMaxTest(settings.CasesPerBatch)
                .WithQuietOnSuccess(true)
                .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, Gamma), FSharpOption<int>.None)));
            try
            {
                Check.One(config, property);
            }
            catch (Exception e) when (e is not FuzzFinding)
            {
                throw new FuzzFinding($"{name}: finding with seed {seed} (ORCH_FUZZ_SEED={seed} ORCH_FUZZ_CASES={settings.CasesPerBatch} replays it)\n{e.Message}", e);
            }
            cases += settings.CasesPerBatch;
            seed++;
        }
        while (settings.Long && DateTime.UtcNow < deadline);
        output.WriteLine($"{name}: {cases} inputs from seed {settings.Seed} in {(DateTime.UtcNow - started).TotalSeconds:F1} s, no finding");
    }

    private static void Guard<T>(T input, Action<T> target, FuzzSettings settings, long allocationLimit)
    {
        Exception? failure = null;
        var allocated = 0L;
        var task = Task.Run(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                target(input);
            }
            catch (Exception e)
            {
                failure = e;
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        if (!task.Wait(settings.CaseTimeout))
        {
            throw new FuzzFinding($"no answer within {settings.CaseTimeout.TotalSeconds} s (a hang or unbounded work)");
        }
        if (failure is not null)
        {
            throw failure as FuzzFinding ?? new FuzzFinding($"{failure.GetType().Name}: {failure.Message}", failure);
        }
        if (allocated > allocationLimit)
        {
            throw new FuzzFinding($"allocated {allocated / 1024} KiB for one input (limit {allocationLimit / 1024} KiB)");
        }
    }
}
