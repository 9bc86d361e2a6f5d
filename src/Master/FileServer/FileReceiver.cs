using Microsoft.Extensions.Logging;
using Orchestrator.Shared.Security;

namespace Orchestrator.Master.FileServer;

/// <summary>
/// Salt's <c>_file_recv</c>: stores what a minion's <c>cp.push</c> sends under <c>cachedir/minions/&lt;id&gt;/files/</c>, only
/// when <c>file_recv</c> is on (off by default: a minion could otherwise fill the master's disk), up to
/// <c>file_recv_max_size</c> MB per file, and never outside that minion's directory.
/// </summary>
public sealed class FileReceiver(string cacheDir, bool enabled, long maxSizeMegabytes, ILogger logger)
{
    /// <summary>Writes one chunk; returns null when it is stored, else why it was refused.</summary>
    public string? Receive(string minionId, IReadOnlyList<string> path, long loc, byte[] data)
    {
        if (!enabled)
        {
            return "file_recv is not enabled on the master";
        }
        if (!NameValidator.IsValidMinionId(minionId))
        {
            return "invalid minion id";
        }
        if (loc < 0)
        {
            FileRecvLog.InvalidPointer(logger, minionId);
            return "Invalid file pointer: load[loc] < 0";
        }
        var max = maxSizeMegabytes * 1024 * 1024;
        var joined = string.Join('/', path);
        if (data.LongLength + loc > max)
        {
            FileRecvLog.TooLarge(logger, maxSizeMegabytes, minionId, joined);
            return $"file_recv_max_size limit of {maxSizeMegabytes} MB exceeded";
        }
        var root = Path.Combine(cacheDir, "minions", minionId, "files");
        var target = path.Count == 0 || path.Any(p => p.Length == 0 || p.Contains('/')) ? null : NameValidator.ResolveUnder(root, joined);
        if (target is null)
        {
            FileRecvLog.OutsideCache(logger, minionId, joined);
            return "Attempt to write received file outside of master cache directory";
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // The first chunk starts the file afresh; later ones land at their offset, so a resent chunk does no harm.
        using var stream = new FileStream(target, loc == 0 ? FileMode.Create : FileMode.OpenOrCreate, FileAccess.Write, FileShare.None);
        stream.Seek(loc, SeekOrigin.Begin);
        stream.Write(data);
        return null;
    }
}
