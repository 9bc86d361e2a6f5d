using System.Diagnostics;
using Orchestrator.Bench.Runner;

namespace Orchestrator.Bench.Soak;

/// <summary>
/// One daemon process (orch-master or orch-minion) that the soak starts, signals and starts again from the same config
/// dir. Its console output is appended to a file in the scratch dir, never to the soak's own console.
/// </summary>
public sealed class Daemon : IAsyncDisposable
{
    private readonly string _program;
    private readonly string _configDir;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly StreamWriter _console;
    private readonly Lock _lock = new();
    private Process? _process;
    private long _consoleLines;

    public Daemon(string name, string program, string configDir, string consoleLog, IReadOnlyDictionary<string, string>? environment = null)
    {
        Name = name;
        _program = program;
        _configDir = configDir;
        _environment = environment ?? new Dictionary<string, string>();
        _console = new StreamWriter(consoleLog, append: true) { AutoFlush = true };
    }

    public string Name { get; }

    /// <summary>How many times it was started (1 for the first run).</summary>
    public int Incarnation { get; private set; }

    public DateTime StartedAt { get; private set; }

    /// <summary>Whether the soak stopped or killed it and has not started it again yet (so its absence is no finding).</summary>
    public bool DownOnPurpose { get; private set; }

    /// <summary>Whether the soak has frozen it with SIGSTOP.</summary>
    public bool Frozen { get; private set; }

    public bool Running => _process is { HasExited: false };

    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Lines the daemon wrote to its stdout/stderr (its log goes to its log_file; the console should stay quiet).</summary>
    public long ConsoleLines => Interlocked.Read(ref _consoleLines);

    /// <summary>Exit codes seen after a SIGTERM other than 0: a daemon that does not stop cleanly.</summary>
    public List<int> UncleanExits { get; } = [];

    public ProcStats Stats() => _process is { HasExited: false } p ? ProcStats.Read(p.Id) : default;

    /// <summary>Open file descriptors (/proc/&lt;pid&gt;/fd); 0 while it is down.</summary>
    public int Descriptors()
    {
        try
        {
            return _process is { HasExited: false } p ? Directory.EnumerateFileSystemEntries($"/proc/{p.Id}/fd").Count() : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    public void Start()
    {
        if (Running)
        {
            throw new InvalidOperationException($"{Name} is already running");
        }
        _process?.Dispose();
        var info = new ProcessStartInfo(_program, ["-c", _configDir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {_program}");
        Incarnation++;
        StartedAt = DateTime.UtcNow;
        Frozen = false;
        DownOnPurpose = false;
        var incarnation = Incarnation;
        DataReceivedEventHandler write = (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                Interlocked.Increment(ref _consoleLines);
                lock (_lock)
                {
                    _console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} [{incarnation}] {e.Data}");
                }
            }
        };
        process.OutputDataReceived += write;
        process.ErrorDataReceived += write;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Note($"started, pid {process.Id}");
    }

    /// <summary>SIGTERM (after SIGCONT when frozen); true when it exited within <paramref name="limit"/>, with its exit code noted.</summary>
    public async Task<bool> TerminateAsync(TimeSpan limit)
    {
        if (_process is not { HasExited: false } process)
        {
            return true;
        }
        Thaw();
        DownOnPurpose = true;
        SoakSignals.Send(process.Id, SoakSignals.Term);
        using var wait = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Note($"did not exit within {limit.TotalSeconds:F0}s of SIGTERM");
            return false;
        }
        if (process.ExitCode != 0)
        {
            UncleanExits.Add(process.ExitCode);
        }
        Note($"exited with {process.ExitCode} after SIGTERM");
        return true;
    }

    /// <summary>SIGKILL, then waits for the exit (the kernel ends it at once, frozen or not).</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }
        DownOnPurpose = true;
        SoakSignals.Send(process.Id, SoakSignals.Kill);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A process in uninterruptible sleep; it goes when the kernel lets it.
        }
        Frozen = false;
        Note("killed with SIGKILL");
    }

    public void Freeze()
    {
        if (_process is { HasExited: false } process && SoakSignals.Send(process.Id, SoakSignals.Stop))
        {
            Frozen = true;
            Note("frozen with SIGSTOP");
        }
    }

    public void Thaw()
    {
        if (Frozen && _process is { HasExited: false } process)
        {
            SoakSignals.Send(process.Id, SoakSignals.Continue);
            Note("thawed with SIGCONT");
        }
        Frozen = false;
    }

    private void Note(string what)
    {
        lock (_lock)
        {
            _console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} [soak] {Name} {what}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!await TerminateAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false))
        {
            await KillAsync().ConfigureAwait(false);
        }
        _process?.Dispose();
        lock (_lock)
        {
            _console.Dispose();
        }
    }
}
