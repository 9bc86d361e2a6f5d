using Microsoft.Extensions.Logging;
using Orchestrator.Minion.Hosting;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Minion.Jobs;

/// <summary>
/// Returns waiting for the master's acknowledgement, one file per job under <c>cachedir/outbox</c>, so a return produced
/// while the master is down (or the minion restarts) is delivered later instead of lost.
/// </summary>
public sealed class ReturnOutbox
{
    private readonly string _dir;
    private readonly ILogger _logger;

    public ReturnOutbox(string cacheDir, ILogger<ReturnOutbox> logger)
    {
        _dir = Path.Combine(cacheDir, "outbox");
        _logger = logger;
        Directory.CreateDirectory(_dir);
    }

    public void Save(JobReturn ret)
    {
        var path = PathOf(ret.Jid);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, WireCodec.Serialize(ret));
        // Rename is atomic: a crash leaves either the old state or the whole return, never half a file.
        File.Move(temp, path, overwrite: true);
    }

    public void Delete(string jid) => File.Delete(PathOf(jid));

    public IReadOnlyList<JobReturn> Pending()
    {
        var list = new List<JobReturn>();
        foreach (var file in Directory.EnumerateFiles(_dir, "*.ret").Order(StringComparer.Ordinal))
        {
            try
            {
                list.Add(WireCodec.Deserialize<JobReturn>(File.ReadAllBytes(file)));
            }
            catch (Exception e) when (e is WireFormatException or IOException)
            {
                MinionLog.OutboxCorrupt(_logger, e, file);
                File.Move(file, file + ".corrupt", overwrite: true);
            }
        }
        return list;
    }

    private string PathOf(string jid)
    {
        // Jids come from the master; keep only digits so one can never name a path outside the outbox.
        var safe = new string(jid.Where(char.IsAsciiDigit).ToArray());
        return Path.Combine(_dir, (safe.Length > 0 ? safe : "invalid") + ".ret");
    }
}
