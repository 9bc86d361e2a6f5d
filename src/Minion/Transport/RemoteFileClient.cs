using System.Security.Cryptography;
using Orchestrator.Minion.Modules;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;
using Orchestrator.Shared.Security;

namespace Orchestrator.Minion.Transport;

/// <summary>Fetches <c>salt://</c> files from the master's file server into <c>cachedir/files/&lt;env&gt;/</c>, re-fetching only what changed.</summary>
public sealed partial class RemoteFileClient(MasterConnection connection, string cacheDir, TimeSpan timeout) : IFileClient, IFilePusher, IRunnerCatalog, IMineClient
{
    private FileRevisionPin? _pin;

    public IFileClient Pinned() => new RemoteFileClient(connection, cacheDir, timeout) { _pin = new FileRevisionPin() };

    public async Task<string?> CacheFileAsync(string url, string saltenv, CancellationToken cancellationToken)
    {
        var path = FileCache.RelativePath(url);
        var local = FileCache.LocalPath(cacheDir, saltenv, path);
        var (kind, body) = await connection.RequestAsync(MessageType.FileRequest, WireCodec.Serialize(new FileRequest
        {
            Path = path,
            Saltenv = saltenv,
            Revision = _pin?.Revision ?? 0,
        }), timeout, cancellationToken).ConfigureAwait(false);
        if (kind != MessageType.FileResponse)
        {
            throw new ModuleException($"unexpected reply {kind} fetching salt://{path}");
        }
        var response = WireCodec.Deserialize<FileResponse>(body);
        _pin?.Observe(response.Revision);
        if (!response.Found)
        {
            return null;
        }
        if (Convert.ToHexStringLower(SHA256.HashData(response.Contents)) != response.Sha256)
        {
            throw new ModuleException($"salt://{path} arrived corrupted (hash mismatch)");
        }
        var cached = File.Exists(local) ? Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(local, cancellationToken).ConfigureAwait(false))) : null;
        if (cached != response.Sha256)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(local)!);
            await File.WriteAllBytesAsync(local, response.Contents, cancellationToken).ConfigureAwait(false);
        }
        return local;
    }

    public async Task<IReadOnlyList<string>> ListFilesAsync(string saltenv, CancellationToken cancellationToken)
    {
        var (kind, body) = await connection.RequestAsync(MessageType.FileListRequest, WireCodec.Serialize(new FileListRequest
        {
            Saltenv = saltenv,
            Revision = _pin?.Revision ?? 0,
        }), timeout, cancellationToken).ConfigureAwait(false);
        if (kind != MessageType.FileListResponse)
        {
            return [];
        }
        var listing = WireCodec.Deserialize<FileListResponse>(body);
        _pin?.Observe(listing.Revision);
        return listing.Files;
    }

    public async Task<string?> PushChunkAsync(IReadOnlyList<string> path, long loc, byte[] data, long size, CancellationToken cancellationToken)
    {
        MessageType kind;
        byte[] body;
        try
        {
            (kind, body) = await connection.RequestAsync(MessageType.FileRecv, WireCodec.Serialize(new FileRecv
            {
                Path = [.. path],
                Loc = loc,
                Data = data,
                Size = size,
            }), timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (MasterUnreachableException e)
        {
            return $"the master did not take the file: {e.Message}";
        }
        catch (ReauthRequiredException)
        {
            return "the master no longer knows this minion's session";
        }
        return kind switch
        {
            MessageType.Ack => null,
            MessageType.Error => WireCodec.Deserialize<ErrorMessage>(body).Message,
            _ => $"unexpected reply {kind}",
        };
    }

    public async Task<IReadOnlyDictionary<string, string>> RunnerDocsAsync(CancellationToken cancellationToken)
    {
        MessageType kind;
        byte[] body;
        try
        {
            (kind, body) = await connection.RequestAsync(
                MessageType.RunnerDocRequest, WireCodec.Serialize(new RunnerDocRequest()), timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (MasterUnreachableException e)
        {
            throw new ModuleException($"the master did not list its runners: {e.Message}");
        }
        catch (ReauthRequiredException)
        {
            throw new ModuleException("the master no longer knows this minion's session; try again once it has authenticated");
        }
        return kind switch
        {
            MessageType.RunnerDocResponse => WireCodec.Deserialize<RunnerDocResponse>(body).Docs,
            MessageType.Error => throw new ModuleException($"the master refused to list its runners: {WireCodec.Deserialize<ErrorMessage>(body).Message}"),
            _ => throw new ModuleException($"unexpected reply {kind} listing the master's runners"),
        };
    }
}
