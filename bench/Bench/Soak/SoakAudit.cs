using Microsoft.Data.Sqlite;

namespace Orchestrator.Bench.Soak;

/// <summary>
/// Accounts for every job the soak published: reads the master's job cache (<c>cachedir/jobs.sqlite</c>, read-only; WAL
/// lets it read while the master writes), each real minion's jid journal, outbox and runs file, and classifies each
/// (job, targeted minion) pair (see <see cref="AuditResult"/>).
/// </summary>
public sealed class SoakAudit(SoakCluster cluster, SoakLedger ledger, SoakOptions options)
{
    private const int DetailLimit = 25;

    /// <summary>
    /// Audits now. With <paramref name="settleAll"/> (after the drain), a pair still missing counts as lost or killed
    /// whatever its age; otherwise pairs younger than <see cref="SoakOptions.SettleAfter"/> are pending.
    /// </summary>
    public AuditResult Run(bool settleAll)
    {
        var result = new AuditResult();
        var now = DateTime.UtcNow;
        CacheView cache;
        try
        {
            cache = ReadCache();
        }
        catch (SqliteException e)
        {
            result.Error = e.Message;
            return result;
        }
        var nodes = cluster.Minions.ToDictionary(n => n.Id, n => new NodeView(
            ReadLines(n.JournalPath).ToHashSet(StringComparer.Ordinal),
            ReadLines(n.RunsFile).GroupBy(l => l.Trim(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            Outbox(n.OutboxDirectory)), StringComparer.Ordinal);
        foreach (var job in ledger.Jobs())
        {
            if (job.Jid is null)
            {
                if (cache.ByToken.TryGetValue(job.Token, out var found))
                {
                    // The master published it though its answer never came: account for it like any other.
                    job.Jid = found.Jid;
                    job.Expected = found.Minions;
                    job.PublishError = null;
                    result.PublishesFoundByToken++;
                }
                else if (job.PublishError is not null || settleAll || now - job.PublishedAt > TimeSpan.FromMinutes(1))
                {
                    result.PublishesFailed++;
                    continue;
                }
                else
                {
                    continue;
                }
            }
            result.JobsByKind[job.Kind] = result.JobsByKind.GetValueOrDefault(job.Kind) + 1;
            var settled = settleAll || now - job.PublishedAt > options.SettleAfter;
            var inCache = cache.Jids.Contains(job.Jid!);
            foreach (var minion in job.Expected)
            {
                var stored = cache.Returns.TryGetValue((job.Jid!, minion), out var failure);
                if (job.Kind == JobKind.Swarm)
                {
                    result.SwarmExpected++;
                    if (stored)
                    {
                        result.SwarmStored++;
                    }
                    else if (settled)
                    {
                        result.SwarmLost++;
                        Detail(result.LostDetails, $"{job.Jid} {minion} swarm test.ping: no return");
                    }
                    else
                    {
                        result.SwarmPending++;
                    }
                    continue;
                }
                Classify(result, job, minion, stored, failure, settled, inCache, nodes.GetValueOrDefault(minion));
            }
        }
        return result;
    }

    private void Classify(AuditResult result, SoakJob job, string minion, bool stored, string? failure, bool settled, bool inCache, NodeView? node)
    {
        result.Expected++;
        var runs = job.Kind == JobKind.Cmd && node is not null ? node.Runs.GetValueOrDefault(job.Token) : 0;
        var what = $"{job.Jid} {minion} {job.Function} (published {job.PublishedAt:HH:mm:ss})";
        if (job.Kind == JobKind.Cmd && runs >= 2)
        {
            result.RanTwice++;
            Detail(result.TwiceDetails, $"{what}: ran {runs} times");
        }
        if (stored)
        {
            result.Stored++;
            if (failure is not null)
            {
                result.Failed++;
                Detail(result.FailedDetails, $"{what}: {failure}");
            }
            if (job.Kind == JobKind.Cmd)
            {
                if (runs == 1)
                {
                    result.RanOnce++;
                }
                else if (runs == 0)
                {
                    result.ReturnedWithoutRunning++;
                    Detail(result.TwiceDetails, $"{what}: returned, but its line is not in the runs file");
                }
            }
            return;
        }
        if (!settled)
        {
            result.Pending++;
            return;
        }
        var started = node is not null && (node.Journal.Contains(job.Jid!) || runs > 0);
        var inOutbox = node is not null && node.Outbox.Contains(job.Jid!);
        var killed = ledger.KilledBetween(minion, job.PublishedAt, job.PublishedAt + TimeSpan.FromSeconds(options.JobTimeoutSeconds));
        if (started && !inOutbox && killed)
        {
            result.KilledMidJob++;
            Detail(result.KilledDetails, what);
            return;
        }
        var reason = !inCache ? "the job is not in the master's job cache"
            : inOutbox ? "return saved in the minion's outbox, never acknowledged by the master"
            : !started ? "never started on the minion (not in its jid_journal)"
            : "started on the minion, no return saved, minion not killed";
        result.Lost++;
        result.LostReasons[reason] = result.LostReasons.GetValueOrDefault(reason) + 1;
        Detail(result.LostDetails, $"{what}: {reason}");
    }

    private static void Detail(List<string> list, string text)
    {
        if (list.Count < DetailLimit)
        {
            list.Add(text);
        }
    }

    private CacheView ReadCache()
    {
        var view = new CacheView();
        if (!File.Exists(cluster.JobCachePath))
        {
            return view;
        }
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = cluster.JobCachePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 10,
        }.ToString());
        db.Open();
        using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT jid, user, minions FROM jobs WHERE user GLOB 'soak-*'";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var jid = reader.GetString(0);
                view.Jids.Add(jid);
                var minions = System.Text.Json.JsonSerializer.Deserialize<List<string>>(reader.GetString(2)) ?? [];
                view.ByToken[reader.GetString(1)] = (jid, minions);
            }
        }
        using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT jid, minion, success, CASE WHEN success = 0 THEN substr(ret, 1, 160) ELSE NULL END FROM returns";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                view.Returns[(reader.GetString(0), reader.GetString(1))] = reader.IsDBNull(3) ? null : reader.GetString(3);
            }
        }
        return view;
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        // The daemon (or its shell) may be appending: share both ways, and take only whole lines.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static HashSet<string> Outbox(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.ret").Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];

    private sealed class CacheView
    {
        public HashSet<string> Jids { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, (string Jid, List<string> Minions)> ByToken { get; } = new(StringComparer.Ordinal);

        /// <summary>Stored returns; the value is the start of the return when it failed, else null.</summary>
        public Dictionary<(string Jid, string Minion), string?> Returns { get; } = [];
    }

    private sealed record NodeView(HashSet<string> Journal, Dictionary<string, int> Runs, HashSet<string> Outbox);
}
