using Microsoft.Data.Sqlite;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Security;

namespace Orchestrator.Master.Jobs;

/// <summary>The job cache in one SQLite file (WAL mode) under the master's cache dir.</summary>
public sealed class SqliteJobCache : IJobCache
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    public SqliteJobCache(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // SQLite gives its -wal and -shm files the database file's mode, so a 0600 database keeps the journal private too.
        PrivateFiles.EnsureFile(path);
        PrivateFiles.Restrict(path + "-wal");
        PrivateFiles.Restrict(path + "-shm");
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS jobs (
                jid TEXT PRIMARY KEY, fun TEXT NOT NULL, args TEXT NOT NULL, kwargs TEXT NOT NULL, tgt TEXT NOT NULL,
                tgt_type TEXT NOT NULL, user TEXT NOT NULL, started_ms INTEGER NOT NULL, timeout INTEGER NOT NULL, minions TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS jobs_started ON jobs(started_ms);
            CREATE TABLE IF NOT EXISTS returns (
                jid TEXT NOT NULL, minion TEXT NOT NULL, fun TEXT NOT NULL, ret TEXT NOT NULL, retcode INTEGER NOT NULL,
                success INTEGER NOT NULL, started_ms INTEGER NOT NULL, duration_ms REAL NOT NULL, out TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (jid, minion));
            CREATE TABLE IF NOT EXISTS minions (id TEXT PRIMARY KEY, last_seen_ms INTEGER, grains TEXT NOT NULL DEFAULT '{}');
            """);
    }

    public void SaveJob(JobRecord job) => Execute(
        "INSERT OR REPLACE INTO jobs VALUES ($jid, $fun, $args, $kwargs, $tgt, $tgt_type, $user, $started, $timeout, $minions)",
        ("$jid", job.Jid), ("$fun", job.Function), ("$args", DataTree.ToJson(job.Args, false)),
        ("$kwargs", DataTree.ToJson(job.Kwargs, false)), ("$tgt", job.Target), ("$tgt_type", job.TargetType), ("$user", job.User),
        ("$started", job.StartedAt.ToUnixTimeMilliseconds()), ("$timeout", job.Timeout),
        ("$minions", DataTree.ToJson(job.Minions.Cast<object?>().ToList(), false)));

    private const string InsertReturn =
        "INSERT OR REPLACE INTO returns VALUES ($jid, $minion, $fun, $ret, $retcode, $success, $started, $duration, $out)";

    public void SaveReturns(IReadOnlyList<ReturnRecord> returns) => ExecuteBatch(InsertReturn, returns, ret =>
    [
        ("$jid", ret.Jid), ("$minion", ret.MinionId), ("$fun", ret.Function), ("$ret", DataTree.ToJson(ret.Return, false)),
        ("$retcode", ret.Retcode), ("$success", ret.Success ? 1 : 0), ("$started", ret.StartedAt.ToUnixTimeMilliseconds()),
        ("$duration", ret.DurationMs), ("$out", ret.OutputHint),
    ]);

    public JobRecord? GetJob(string jid) => QueryJobs("SELECT * FROM jobs WHERE jid = $jid", ("$jid", jid)).FirstOrDefault();

    public IReadOnlyList<ReturnRecord> GetReturns(string jid)
    {
        lock (_lock)
        {
            using var command = Command("SELECT * FROM returns WHERE jid = $jid ORDER BY minion", ("$jid", jid));
            using var reader = command.ExecuteReader();
            var list = new List<ReturnRecord>();
            while (reader.Read())
            {
                list.Add(new ReturnRecord(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), DataTree.FromJson(reader.GetString(3)),
                    reader.GetInt32(4), reader.GetInt32(5) != 0, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                    reader.GetDouble(7), reader.GetString(8)));
            }
            return list;
        }
    }

    public IReadOnlyList<(JobRecord Job, IReadOnlyList<string> Returned)> UnexpiredJobs(DateTimeOffset now)
    {
        var jobs = QueryJobs("SELECT * FROM jobs WHERE started_ms + MAX(timeout, 1) * 1000 > $now ORDER BY jid", ("$now", now.ToUnixTimeMilliseconds()));
        lock (_lock)
        {
            return jobs.Select(job =>
            {
                using var command = Command("SELECT minion FROM returns WHERE jid = $jid", ("$jid", job.Jid));
                using var reader = command.ExecuteReader();
                var returned = new List<string>();
                while (reader.Read())
                {
                    returned.Add(reader.GetString(0));
                }
                return (job, (IReadOnlyList<string>)returned);
            }).ToList();
        }
    }

    public IReadOnlyList<JobRecord> ListJobs(string? searchFunction = null, string? searchTarget = null, DateTimeOffset? since = null, int limit = 1000)
    {
        var where = new List<string>();
        var parameters = new List<(string, object)>();
        if (!string.IsNullOrEmpty(searchFunction))
        {
            where.Add("fun GLOB $fun");
            parameters.Add(("$fun", searchFunction));
        }
        if (!string.IsNullOrEmpty(searchTarget))
        {
            where.Add("tgt GLOB $tgt");
            parameters.Add(("$tgt", searchTarget));
        }
        if (since is { } s)
        {
            where.Add("started_ms >= $since");
            parameters.Add(("$since", s.ToUnixTimeMilliseconds()));
        }
        parameters.Add(("$limit", limit));
        var sql = "SELECT * FROM jobs" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY jid DESC LIMIT $limit";
        return QueryJobs(sql, [.. parameters]);
    }

    public void TouchMinions(IReadOnlyCollection<(string Id, DateTimeOffset Seen)> seen) => ExecuteBatch(
        "INSERT INTO minions (id, last_seen_ms) VALUES ($id, $seen) ON CONFLICT(id) DO UPDATE SET last_seen_ms = $seen",
        seen, s => [("$id", s.Id), ("$seen", s.Seen.ToUnixTimeMilliseconds())]);

    public void SaveGrains(string id, Dictionary<string, object?> grains) => Execute(
        "INSERT INTO minions (id, grains) VALUES ($id, $grains) ON CONFLICT(id) DO UPDATE SET grains = $grains",
        ("$id", id), ("$grains", DataTree.ToJson(grains, false)));

    public IReadOnlyList<MinionRecord> ListMinions()
    {
        lock (_lock)
        {
            using var command = Command("SELECT id, last_seen_ms, grains FROM minions ORDER BY id");
            using var reader = command.ExecuteReader();
            var list = new List<MinionRecord>();
            while (reader.Read())
            {
                list.Add(new MinionRecord(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                    DataTree.FromJson(reader.GetString(2)) as Dictionary<string, object?> ?? new(StringComparer.Ordinal)));
            }
            return list;
        }
    }

    public void ForgetMinion(string id) => Execute("DELETE FROM minions WHERE id = $id", ("$id", id));

    public int Prune(DateTimeOffset cutoff)
    {
        var ms = cutoff.ToUnixTimeMilliseconds();
        Execute("DELETE FROM returns WHERE jid IN (SELECT jid FROM jobs WHERE started_ms < $cutoff)", ("$cutoff", ms));
        return Execute("DELETE FROM jobs WHERE started_ms < $cutoff", ("$cutoff", ms));
    }

    private List<JobRecord> QueryJobs(string sql, params (string, object)[] parameters)
    {
        lock (_lock)
        {
            using var command = Command(sql, parameters);
            using var reader = command.ExecuteReader();
            var list = new List<JobRecord>();
            while (reader.Read())
            {
                list.Add(new JobRecord(
                    reader.GetString(0), reader.GetString(1),
                    DataTree.FromJson(reader.GetString(2)) as List<object?> ?? [],
                    DataTree.FromJson(reader.GetString(3)) as Dictionary<string, object?> ?? new(StringComparer.Ordinal),
                    reader.GetString(4), reader.GetString(5), reader.GetString(6),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)), reader.GetInt32(8),
                    (DataTree.FromJson(reader.GetString(9)) as List<object?> ?? []).Select(m => m?.ToString() ?? "").ToList()));
            }
            return list;
        }
    }

    private int Execute(string sql, params (string, object)[] parameters)
    {
        lock (_lock)
        {
            using var command = Command(sql, parameters);
            return command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Runs one statement per item in a single transaction, with one command whose parameters are re-bound per item, so the
    /// SQL is parsed once per batch and the WAL is committed once (a thousand returns or presence updates per commit).
    /// </summary>
    private void ExecuteBatch<T>(string sql, IEnumerable<T> items, Func<T, (string Name, object Value)[]> parameters)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            foreach (var item in items)
            {
                foreach (var (name, value) in parameters(item))
                {
                    if (command.Parameters.Contains(name))
                    {
                        command.Parameters[name].Value = value;
                    }
                    else
                    {
                        command.Parameters.AddWithValue(name, value);
                    }
                }
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }

    private SqliteCommand Command(string sql, params (string, object)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }

    public void Dispose() => _connection.Dispose();
}
