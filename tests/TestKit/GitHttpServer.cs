using System.Diagnostics;
using System.Net;
using System.Text;

namespace Orchestrator.Testing;

/// <summary>
/// Serves bare repositories over git's smart http on a loopback port: an HttpListener that checks basic auth and runs
/// the system's <c>git http-backend</c> as a CGI for each request, as a web server in front of a git host would.
/// </summary>
public sealed class GitHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly TempDir _projectRoot = new();
    private readonly string _user;
    private readonly string _password;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _refused;

    /// <summary>Serves the repository at <paramref name="repositoryPath"/> as <see cref="Url"/>, to <paramref name="user"/> only.</summary>
    public GitHttpServer(string repositoryPath, string user, string password)
    {
        // The CGI serves what is under its project root: a root of this server's own with only that repository in it.
        File.CreateSymbolicLink(_projectRoot.Combine("repo.git"), repositoryPath);
        _user = user;
        _password = password;
        Port = Executables.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>Requests answered 401 so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public string Url => $"http://127.0.0.1:{Port}/repo.git";

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            if (!Authorized(context.Request))
            {
                Interlocked.Increment(ref _refused);
                context.Response.StatusCode = 401;
                context.Response.AddHeader("WWW-Authenticate", "Basic realm=\"git\"");
                context.Response.Close();
                return;
            }
            await RunBackendAsync(context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpListenerException or InvalidOperationException)
        {
            context.Response.Abort();
        }
    }

    private bool Authorized(HttpListenerRequest request)
    {
        var header = request.Headers["Authorization"];
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return false;
        }
        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        return pair == $"{_user}:{_password}";
    }

    private async Task RunBackendAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var start = new ProcessStartInfo("git", "http-backend")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["GIT_PROJECT_ROOT"] = _projectRoot.Path;
        start.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        start.Environment["PATH_INFO"] = Uri.UnescapeDataString(request.Url!.AbsolutePath);
        start.Environment["QUERY_STRING"] = request.Url.Query.TrimStart('?');
        start.Environment["REQUEST_METHOD"] = request.HttpMethod;
        start.Environment["CONTENT_TYPE"] = request.ContentType ?? "";
        start.Environment["REMOTE_USER"] = _user;
        start.Environment["REMOTE_ADDR"] = "127.0.0.1";
        if (request.Headers["Content-Encoding"] is { } encoding)
        {
            start.Environment["HTTP_CONTENT_ENCODING"] = encoding;
        }
        if (request.Headers["Git-Protocol"] is { } protocol)
        {
            start.Environment["GIT_PROTOCOL"] = protocol;
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await request.InputStream.CopyToAsync(process.StandardInput.BaseStream).ConfigureAwait(false);
        process.StandardInput.Close();
        var output = process.StandardOutput.BaseStream;
        // CGI: header lines up to a blank line, then the body.
        var headers = await ReadHeadersAsync(output).ConfigureAwait(false);
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.ContentType = value;
            }
            else
            {
                context.Response.AddHeader(name, value);
            }
        }
        await output.CopyToAsync(context.Response.OutputStream).ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        await stderr.ConfigureAwait(false);
        context.Response.Close();
    }

    private static async Task<List<(string Name, string Value)>> ReadHeadersAsync(Stream output)
    {
        var headers = new List<(string, string)>();
        var line = new List<byte>();
        var one = new byte[1];
        while (await output.ReadAsync(one).ConfigureAwait(false) == 1)
        {
            if (one[0] != '\n')
            {
                line.Add(one[0]);
                continue;
            }
            var text = Encoding.ASCII.GetString([.. line]).TrimEnd('\r');
            line.Clear();
            if (text.Length == 0)
            {
                break;
            }
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            headers.Add((text[..colon].Trim(), text[(colon + 1)..].Trim()));
        }
        return headers;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends on the closed listener.
        }
        _stop.Dispose();
        _projectRoot.Dispose();
    }
}
