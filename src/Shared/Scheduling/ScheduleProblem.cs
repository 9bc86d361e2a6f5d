namespace Orchestrator.Shared.Scheduling;

/// <summary>A job, or a global setting, the scheduler left out, and why.</summary>
/// <param name="Name">The job's key under <c>schedule:</c>, or the global setting's.</param>
/// <param name="Error">What is wrong with it.</param>
public sealed record ScheduleProblem(string Name, string Error);
