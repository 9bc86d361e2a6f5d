namespace Orchestrator.Shared.Targeting;

/// <summary>A compiled target: decides whether one minion is targeted.</summary>
/// <remarks>
/// Implementations are immutable once constructed and safe to call from many threads at once; all parsing and
/// validation happens in the constructor, so <see cref="Matches"/> never throws for well-formed facts.
/// </remarks>
public interface ITargetMatcher
{
    /// <summary>Returns <c>true</c> when the minion described by <paramref name="facts"/> is targeted.</summary>
    bool Matches(MinionFacts facts);
}
