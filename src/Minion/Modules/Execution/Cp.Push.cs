using Orchestrator.Shared.Targeting;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary><c>cp.push</c> and <c>cp.push_dir</c>: minion files sent up to the master's <c>cachedir/minions/&lt;id&gt;/files</c>.</summary>
public sealed partial class CpModule
{
    /// <summary>Salt's <c>file_buffer_size</c> default: the bytes of one chunk.</summary>
    private const int DefaultChunk = 262_144;

    private ModuleFunction[] PushFunctions() =>
    [
        new("push", "Push a file from the minion up to the master, saved in the master's minion files cachedir " +
            "(cachedir/minions/<minion-id>/files/<path>); True when the master stored it, False otherwise. The master must " +
            "have file_recv: True (off by default, for security) and the file must fit its file_recv_max_size (MB). The " +
            "path must be absolute; symlinks are resolved unless keep_symlinks; upload_path stores it under another path; " +
            "remove_source deletes the file on the minion afterwards. Files pushed to the master are readable there.\n\n" +
            "CLI Example: orch '*' cp.push /etc/fstab\n" +
            "orch '*' cp.push /etc/system-release keep_symlinks=True\n" +
            "orch '*' cp.push /etc/fstab upload_path='/new/path/fstab'\n" +
            "orch '*' cp.push /tmp/filename remove_source=True",
            [Req("path"), Opt("keep_symlinks", false), Opt("upload_path"), Opt("remove_source", false)], PushAsync),
        new("push_dir", "Push a directory from the minion up to the master (each file as cp.push does), those whose name " +
            "matches glob when given; upload_path stores the tree under another path. True when every file was stored, " +
            "False when one was not or none matched.\n\n" +
            "CLI Example: orch '*' cp.push_dir /etc/modprobe.d/ glob='*.conf'\n" +
            "orch '*' cp.push_dir /usr/lib/mysql upload_path='/newmysql/path'",
            [Req("path"), Opt("glob"), Opt("upload_path")], PushDirAsync),
    ];

    private Task<object?> PushAsync(ModuleCall call, CancellationToken cancellationToken) =>
        PushFileAsync(call, call.RequireString("path"), call.GetBool("keep_symlinks"), call.GetString("upload_path"),
            call.GetBool("remove_source"), cancellationToken);

    private async Task<object?> PushDirAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var path = call.RequireString("path");
        if (path.Contains("../", StringComparison.Ordinal) || !Path.IsPathRooted(path))
        {
            return false;
        }
        path = MountModule.RealPath(path);
        var uploadPath = call.GetString("upload_path");
        if (File.Exists(path))
        {
            return await PushFileAsync(call, path, false, uploadPath, false, cancellationToken).ConfigureAwait(false);
        }
        if (!Directory.Exists(path))
        {
            return false;
        }
        var glob = call.GetString("glob");
        var files = Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(f => glob is null || FnMatch.IsMatch(Path.GetFileName(f), glob))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            return false;
        }
        foreach (var file in files)
        {
            var target = uploadPath is null ? null : "/" + uploadPath.Trim('/') + "/" + file[path.Length..].Trim('/');
            if (await PushFileAsync(call, file, false, target, false, cancellationToken).ConfigureAwait(false) is not true)
            {
                return false;
            }
        }
        return true;
    }

    private async Task<object?> PushFileAsync(
        ModuleCall call, string path, bool keepSymlinks, string? uploadPath, bool removeSource, CancellationToken cancellationToken)
    {
        if (path.Contains("../", StringComparison.Ordinal) || !Path.IsPathRooted(path))
        {
            CpLog.PushRefused(_logger, path, "Path must be absolute");
            return false;
        }
        if (!keepSymlinks)
        {
            path = MountModule.RealPath(path);
        }
        if (!File.Exists(path))
        {
            CpLog.PushRefused(_logger, path, "Path failed os.path.isfile check");
            return false;
        }
        if (uploadPath is not null && uploadPath.Contains("../", StringComparison.Ordinal))
        {
            CpLog.PushRefused(_logger, uploadPath, "Path must be absolute");
            return false;
        }
        if (call.Context.Files is not IFilePusher pusher)
        {
            CpLog.PushFailed(_logger, path, "there is no master to push to (file_client: local)");
            return false;
        }
        // The path the master stores it under: normalized, split into segments, with no leading slash.
        var segments = Path.GetFullPath("/" + (uploadPath ?? path).TrimStart('/')).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var chunkSize = call.Context.Opt("file_buffer_size") is long configured && configured > 0 ? (int)Math.Min(configured, 8 << 20) : DefaultChunk;
        await using (var input = File.OpenRead(path))
        {
            var size = input.Length;
            var buffer = new byte[chunkSize];
            var first = true;
            while (true)
            {
                var loc = input.Position;
                var read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0 && !first)
                {
                    break;
                }
                if (await pusher.PushChunkAsync(segments, loc, buffer[..read], size, cancellationToken).ConfigureAwait(false) is { } refused)
                {
                    CpLog.PushFailed(_logger, path, refused);
                    return false;
                }
                first = false;
                if (read == 0)
                {
                    break;
                }
            }
        }
        if (removeSource)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                CpLog.PushFailed(_logger, path, $"cp.push failed to remove file '{path}': {e.Message}");
                return false;
            }
        }
        return true;
    }
}
