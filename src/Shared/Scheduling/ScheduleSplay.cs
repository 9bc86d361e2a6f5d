namespace Orchestrator.Shared.Scheduling;

/// <summary>A random delay added to each fire time: between <paramref name="Start"/> and <paramref name="End"/> seconds inclusive.</summary>
/// <param name="Start">The least delay (1 for Salt's integer form).</param>
/// <param name="End">The greatest delay.</param>
public sealed record ScheduleSplay(int Start, int End);
