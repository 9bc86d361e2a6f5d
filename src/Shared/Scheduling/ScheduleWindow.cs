namespace Orchestrator.Shared.Scheduling;

/// <summary>A <c>range</c> or <c>skip_during_range</c>: two times read relative to now, and whether the range is inverted.</summary>
/// <param name="Start">The start as written.</param>
/// <param name="End">The end as written.</param>
/// <param name="Invert">For <c>range</c>: run outside the range instead of inside.</param>
public sealed record ScheduleWindow(string Start, string End, bool Invert = false);
