namespace Orchestrator.Minion.Scheduling;

/// <summary>Salt's jid form (<c>20250115100000123456</c>, UTC to the microsecond) for runs the minion starts itself; unique in this process.</summary>
public sealed class ScheduleJid(TimeProvider time)
{
    private readonly Lock _lock = new();
    private long _last;

    public string Next()
    {
        lock (_lock)
        {
            var micros = time.GetUtcNow().UtcDateTime.Ticks / 10;
            _last = Math.Max(_last + 1, micros);
            return new DateTime(_last * 10, DateTimeKind.Utc).ToString("yyyyMMddHHmmss") + (_last % 1_000_000).ToString("D6");
        }
    }
}
