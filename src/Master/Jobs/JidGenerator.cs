namespace Orchestrator.Master.Jobs;

/// <summary>Salt-style sortable job ids (<c>20261122214600123456</c>: UTC time to the microsecond), unique within a master.</summary>
public sealed class JidGenerator(TimeProvider time)
{
    private readonly Lock _lock = new();
    private long _last;

    public string Next()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var micros = now.UtcDateTime.Ticks / 10;
            // Two jobs in the same microsecond get consecutive ids, so jids stay unique and ordered.
            _last = Math.Max(_last + 1, micros);
            var stamp = new DateTime(_last * 10, DateTimeKind.Utc);
            return stamp.ToString("yyyyMMddHHmmss") + (_last % 1_000_000).ToString("D6");
        }
    }
}
