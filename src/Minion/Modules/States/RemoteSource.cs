namespace Orchestrator.Minion.Modules.States;

/// <summary>http(s) sources of the file states: Salt's HEAD probe of a source list and its download into the cache.</summary>
internal static class RemoteSource
{
    private static readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(5) };

    /// <summary>Salt's <c>source_list</c> check of a remote item: a HEAD request that answers without error.</summary>
    public static async Task<bool> ExistsAsync(string source, CancellationToken cancellationToken)
    {
        if (!source.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            using var request = new HttpRequestMessage(HttpMethod.Head, source);
            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Downloads the source to <c>root/host/path</c> (Salt's <c>extrn_files</c> layout) and returns that path.</summary>
    public static async Task<string> CacheAsync(string source, string root, CancellationToken cancellationToken)
    {
        if (!source.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            throw new RemoteSourceException("only http and https sources can be fetched");
        }
        Uri uri;
        try
        {
            uri = new Uri(source);
        }
        catch (UriFormatException e)
        {
            throw new RemoteSourceException(e.Message);
        }
        var relative = uri.AbsolutePath.TrimStart('/');
        var target = Path.Combine(root, uri.Host, relative.Length == 0 ? "index.html" : relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".part";
        try
        {
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new RemoteSourceException($"Error: {(int)response.StatusCode} reading {Redact(source)}");
            }
            await using (var file = File.Create(partial))
            {
                await response.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
            File.Move(partial, target, overwrite: true);
            return target;
        }
        catch (Exception e) when (e is HttpRequestException or IOException || e is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            File.Delete(partial);
            throw new RemoteSourceException(e.Message);
        }
    }

    /// <summary>Salt's <c>redact_http_basic_auth</c>: the password of <c>user:password@</c> is not shown.</summary>
    public static string Redact(string source)
    {
        var at = source.IndexOf('@', StringComparison.Ordinal);
        var scheme = source.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0 || at < scheme)
        {
            return source;
        }
        var colon = source.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? source[..(colon + 1)] + "XXXXXXXXXX" + source[at..] : source;
    }
}
