using System.Diagnostics;

namespace Orchestrator.Bench.Runner;

/// <summary>
/// A profile of one orch-master for its whole life, by one of two tools:
/// <list type="bullet">
/// <item>dotnet-trace (the repository's local tool) listens on a diagnostic port and the master starts with
/// <c>DOTNET_DiagnosticPorts</c> naming it, so its runtime waits for the tracer before running any code. Thread-time
/// stack samples (~100 Hz per thread, waiting threads included), written as .nettrace and .speedscope.json.</item>
/// <item>perf samples the CPU (the cpu-clock event, so it works in VMs without hardware counters) with call graphs; the
/// master writes <c>/tmp/perf-PID.map</c> (<c>DOTNET_PerfMapEnabled</c>) so <c>perf report</c> can name managed code.</item>
/// </list>
/// Either file is complete once the master has exited.
/// </summary>
internal sealed class MasterProfiler : IAsyncDisposable
{
    private readonly string _tool;
    private readonly string _outputFile;
    private Process? _profiler;

    private MasterProfiler(string tool, string outputFile, Dictionary<string, string> environment)
    {
        _tool = tool;
        _outputFile = outputFile;
        Environment = environment;
    }

    /// <summary>What the master's environment needs for this profiler.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>dotnet-trace, started now: the master started after this waits for it.</summary>
    public static MasterProfiler DotnetTrace(string outputFile, string scratch)
    {
        var repo = Binaries.FindRepository()
            ?? throw new InvalidOperationException("--trace-master runs the repository's dotnet-trace tool: run from the repository");
        var port = Path.Combine(scratch, "trace.sock");
        var profiler = new MasterProfiler("dotnet-trace", outputFile, new() { ["DOTNET_DiagnosticPorts"] = port });
        profiler._profiler = profiler.Launch("dotnet",
            ["tool", "run", "dotnet-trace", "--", "collect", "--diagnostic-port", port,
             "--profile", "dotnet-sampled-thread-time", "--format", "Speedscope", "-o", outputFile], repo);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!File.Exists(port))
        {
            if (profiler._profiler.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"dotnet-trace did not open its diagnostic port {port} (dotnet tool restore?)");
            }
            Thread.Sleep(20);
        }
        return profiler;
    }

    /// <summary>perf, attached by <see cref="Attach"/> once the master runs.</summary>
    public static MasterProfiler Perf(string outputFile) =>
        new("perf", outputFile, new()
        {
            ["DOTNET_PerfMapEnabled"] = "1",
            // perf finds JIT-compiled code by the addresses in the map; the W^X double mapping runs it from other ones.
            ["DOTNET_EnableWriteXorExecute"] = "0",
        });

    /// <summary>Starts perf on the running master (dotnet-trace is attached already).</summary>
    public void Attach(int pid)
    {
        if (_tool == "perf")
        {
            _profiler = Launch("perf", ["record", "-e", "cpu-clock", "-F", "199", "--call-graph", "dwarf,16384", "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", _outputFile], null);
        }
    }

    private Process Launch(string file, string[] arguments, string? workingDirectory)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                Console.Error.WriteLine($"[{_tool}] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits for the profiler to write its file after the master exited.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_profiler is null)
        {
            return;
        }
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await _profiler.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _profiler.Kill();
        }
        _profiler.Dispose();
    }
}
