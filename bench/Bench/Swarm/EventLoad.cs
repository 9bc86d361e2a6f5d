using System.Globalization;

namespace Orchestrator.Bench.Swarm;

/// <summary>
/// What each simulated minion fires when told to: <see cref="Count"/> sealed <c>EventFire</c> requests under
/// <c>&lt;TagPrefix&gt;/&lt;minion id&gt;</c>, at <see cref="RatePerSecond"/> (0: as fast as acks allow), with at most
/// <see cref="Window"/> requests awaiting the master's ack. Sequence numbers start at <see cref="FirstSeq"/>.
/// </summary>
public sealed record EventLoad(int Count, double RatePerSecond, int Window, string TagPrefix, long FirstSeq)
{
    /// <summary>The controller's command line for the swarm process: <c>fire count rate window tag-prefix first-seq</c>.</summary>
    public string ToCommand() => string.Create(CultureInfo.InvariantCulture,
        $"fire {Count} {RatePerSecond} {Window} {TagPrefix} {FirstSeq}");

    public static EventLoad Parse(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6 || parts[0] != "fire")
        {
            throw new FormatException($"not a fire command: '{line}'");
        }
        return new EventLoad(
            int.Parse(parts[1], CultureInfo.InvariantCulture),
            double.Parse(parts[2], CultureInfo.InvariantCulture),
            Math.Max(1, int.Parse(parts[3], CultureInfo.InvariantCulture)),
            parts[4],
            long.Parse(parts[5], CultureInfo.InvariantCulture));
    }
}
