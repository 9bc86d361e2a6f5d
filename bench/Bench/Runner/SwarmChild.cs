using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Orchestrator.Bench.Swarm;

namespace Orchestrator.Bench.Runner;

/// <summary>The controller's handle on one <c>orch-bench swarm</c> child process (lines over stdin/stdout).</summary>
public sealed class SwarmChild : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private long _ready;

    private SwarmChild(Process process, int count)
    {
        _process = process;
        Count = count;
    }

    public int Count { get; }

    public long Ready => Interlocked.Read(ref _ready);

    public double? ReadySeconds { get; private set; }

    /// <summary>Seconds the process took to load its keys (with <see cref="SwarmSettings.WaitForStart"/>), once it has.</summary>
    public double? LoadedSeconds { get; private set; }

    /// <summary>Lets a process started with <see cref="SwarmSettings.WaitForStart"/> begin its handshakes.</summary>
    public async Task StartHandshakesAsync(CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync("start".AsMemory(), cancellationToken).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ProcStats Stats() => ProcStats.Read(_process.Id);

    public static SwarmChild Start(SwarmSettings s, BenchOptions options)
    {
        var (file, prefix) = SelfCommand();
        var args = new List<string>(prefix)
        {
            "swarm", "--master", s.Master, "--ret-port", Str(s.RetPort), "--publish-port", Str(s.PublishPort),
            "--finger", s.MasterFingerprint, "--keys", s.KeyDirectory, "--key-pool", Str(s.KeyPool), "--first", Str(s.First), "--count", Str(s.Count),
            "--loops", Str(s.Loops), "--io-threads", Str(options.IoThreads), "--auth-concurrency", Str(s.AuthConcurrency),
            "--heartbeat", Str((int)s.HeartbeatInterval.TotalSeconds), "--wait-start", s.WaitForStart ? "1" : "0",
        };
        var info = new ProcessStartInfo(file, args)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // A small heap per swarm process: thousands of minions allocate little each, and the master needs the cores.
        info.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(CpuPinning.On(info, options.SwarmCpus)) ?? throw new InvalidOperationException("could not start a swarm process");
        var child = new SwarmChild(process, s.Count);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                child._lines.Writer.TryComplete();
                return;
            }
            var parts = e.Data.Split(' ', 3);
            switch (parts[0])
            {
                case "progress":
                    Interlocked.Exchange(ref child._ready, long.Parse(parts[1], CultureInfo.InvariantCulture));
                    break;
                case "loaded":
                    child.LoadedSeconds = double.Parse(parts[1], CultureInfo.InvariantCulture);
                    break;
                case "ready":
                    child.ReadySeconds = double.Parse(parts[2], CultureInfo.InvariantCulture);
                    Interlocked.Exchange(ref child._ready, long.Parse(parts[1], CultureInfo.InvariantCulture));
                    break;
                default:
                    child._lines.Writer.TryWrite(e.Data);
                    break;
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                Console.Error.WriteLine($"[swarm {s.First}..{s.First + s.Count - 1}] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The swarm's counters (see <see cref="SwarmCounters"/>).</summary>
    public async Task<Dictionary<string, long>> CountersAsync(CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync("stats".AsMemory(), cancellationToken).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (true)
        {
            var line = await _lines.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
            if (line.StartsWith("stats ", StringComparison.Ordinal))
            {
                return JsonSerializer.Deserialize<Dictionary<string, long>>(line[6..]) ?? [];
            }
        }
    }

    /// <summary>Sends one command line and returns the rest of the first reply line starting with <paramref name="replyPrefix"/>.</summary>
    public async Task<string> CommandAsync(string line, string replyPrefix, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (true)
        {
            var reply = await _lines.Reader.ReadAsync(limit.Token).ConfigureAwait(false);
            if (reply.StartsWith(replyPrefix, StringComparison.Ordinal))
            {
                return reply[replyPrefix.Length..];
            }
        }
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>How to start this same program again: its apphost, or <c>dotnet orch-bench.dll</c>.</summary>
    private static (string File, string[] Prefix) SelfCommand()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        if (Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            return (path, [typeof(SwarmChild).Assembly.Location]);
        }
        return (path, []);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Closing thousands of sockets cleanly is slow and measures nothing: ask politely, then end it.
            try
            {
                await _process.StandardInput.WriteLineAsync("stop").ConfigureAwait(false);
                await _process.StandardInput.FlushAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Already gone.
            }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        _process.Dispose();
    }
}
