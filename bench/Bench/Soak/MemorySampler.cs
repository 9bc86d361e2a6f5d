using System.Diagnostics;
using System.Globalization;

namespace Orchestrator.Bench.Soak;

/// <summary>
/// Every <see cref="SoakOptions.SampleInterval"/>: the RSS of the master and of each real minion (from /proc), with an
/// audit of the jobs so far, printed as a row and kept for the report. Per daemon incarnation (a restart resets its
/// memory) the points are kept for the growth figure.
/// </summary>
public sealed class MemorySampler(SoakCluster cluster, SoakLedger ledger, SoakAudit audit, Action<string> log)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly List<MemorySample> _samples = [];
    private readonly Dictionary<(string Daemon, int Incarnation), List<(double Hours, long RssKb)>> _series = [];
    private readonly Dictionary<string, long> _peakKb = new(StringComparer.Ordinal);

    public TimeSpan Elapsed => _clock.Elapsed;

    public IReadOnlyList<MemorySample> Samples()
    {
        lock (_lock)
        {
            return [.. _samples];
        }
    }

    public IReadOnlyDictionary<(string Daemon, int Incarnation), List<(double Hours, long RssKb)>> Series()
    {
        lock (_lock)
        {
            return _series.ToDictionary(kv => kv.Key, kv => kv.Value.ToList());
        }
    }

    public long PeakKb(string daemon)
    {
        lock (_lock)
        {
            return _peakKb.GetValueOrDefault(daemon);
        }
    }

    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped at the end of the run.
        }
    }

    /// <summary>Takes one sample now (also called once at the start and at the end).</summary>
    public MemorySample Sample(AuditResult? audited = null)
    {
        var result = audited ?? audit.Run(settleAll: false);
        var hours = _clock.Elapsed.TotalHours;
        long Rss(Daemon daemon)
        {
            var stats = daemon.Stats();
            if (stats.RssKb <= 0)
            {
                return 0;
            }
            lock (_lock)
            {
                var key = (daemon.Name, daemon.Incarnation);
                if (!_series.TryGetValue(key, out var points))
                {
                    _series[key] = points = [];
                }
                points.Add((hours, stats.RssKb));
                _peakKb[daemon.Name] = Math.Max(_peakKb.GetValueOrDefault(daemon.Name), stats.PeakRssKb);
            }
            return stats.RssKb;
        }
        var sample = new MemorySample(
            _clock.Elapsed, Rss(cluster.Master), cluster.Master.Incarnation, cluster.Minions.Select(m => Rss(m.Daemon)).ToList(),
            cluster.Master.Descriptors(), cluster.Minions.Max(m => m.Daemon.Descriptors()),
            cluster.Swarm.Sum(s => s.HasExited ? 0 : s.Stats().RssKb),
            result.Jobs(JobKind.Ping, JobKind.Cmd, JobKind.Sleep, JobKind.Probe), result.Stored, result.Pending, result.Lost,
            result.KilledMidJob, result.RanTwice, ledger.Actions().Count);
        lock (_lock)
        {
            _samples.Add(sample);
        }
        var up = sample.MinionRssKb.Where(k => k > 0).ToList();
        var unreadable = result.Error is { } e ? $"  (job cache unreadable: {e})" : "";
        log(string.Create(CultureInfo.InvariantCulture,
            $"{SoakReport.Clock(sample.Elapsed)}  master {SoakReport.Mb(sample.MasterRssKb)} MB (#{sample.MasterIncarnation})  " +
            $"minions {(up.Count > 0 ? $"{SoakReport.Mb(up.Min())}-{SoakReport.Mb(up.Max())}" : "-")} MB  fds {sample.MasterFds}/{sample.MinionFdsMax}  jobs {sample.Jobs}  " +
            $"returns {sample.Stored} stored, {sample.Pending} pending  lost {sample.Lost}  killed mid-job {sample.KilledMidJob}  " +
            $"ran twice {sample.RanTwice}  chaos {sample.ChaosActions}{unreadable}"));
        return sample;
    }
}
