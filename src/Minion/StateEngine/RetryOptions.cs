namespace Orchestrator.Minion.StateEngine;

/// <summary>A state's <c>retry</c> option, validated as Salt does (bad or missing keys take the defaults).</summary>
public sealed record RetryOptions(bool Until, long Attempts, long Interval, long Splay)
{
    public static RetryOptions Default { get; } = new(true, 2, 30, 0);

    public static RetryOptions From(object? raw)
    {
        if (raw is not Dictionary<string, object?> d)
        {
            return Default;
        }
        return new RetryOptions(
            d.GetValueOrDefault("until") is bool until ? until : Default.Until,
            d.GetValueOrDefault("attempts") is long attempts ? attempts : Default.Attempts,
            d.GetValueOrDefault("interval") is long interval ? interval : Default.Interval,
            d.GetValueOrDefault("splay") is long splay ? splay : Default.Splay);
    }
}
