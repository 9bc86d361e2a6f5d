using System.Diagnostics;
using Orchestrator.Bench.Runner;

namespace Orchestrator.Bench.Events;

/// <summary>A real <c>orch-minion</c> process against a bench master, started and awaited until the master has its start event.</summary>
public sealed class RealMinion : IAsyncDisposable
{
    private readonly Process _process;

    private RealMinion(Process process) => _process = process;

    public int Pid => _process.Id;

    public static async Task<RealMinion> StartAsync(
        string binDirectory, MasterProcess master, string directory, string id, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "minion"), $"""
            id: {id}
            master: 127.0.0.1
            master_port: {master.RetPort}
            publish_port: {master.PublishPort}
            pki_dir: {directory}/pki
            cachedir: {directory}/cache
            sock_dir: {directory}/sock
            log_level: error
            log_file: {directory}/minion.log
            log_level_logfile: warning

            """, cancellationToken).ConfigureAwait(false);
        // Subscribe to its start event before it exists, so the event cannot slip past.
        await using var started = await EventSubscriber.StartAsync(master.SocketPath, $"salt/minion/{id}/start", recordLatency: false, cancellationToken)
            .ConfigureAwait(false);
        var process = Process.Start(new ProcessStartInfo(Path.Combine(binDirectory, "orch-minion"), ["-c", directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("could not start orch-minion");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                Console.Error.WriteLine($"[orch-minion {id}] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var minion = new RealMinion(process);
        var clock = Stopwatch.StartNew();
        while (started.Received == 0)
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                await minion.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"orch-minion {id} did not start within 60 s (see {directory}/minion.log)");
            }
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
        return minion;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Native.Terminate(_process.Id);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }
        _process.Dispose();
    }
}
