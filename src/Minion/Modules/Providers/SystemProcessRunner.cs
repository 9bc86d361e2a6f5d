using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Orchestrator.Minion.Modules.Providers;

/// <summary>Runs processes on the host with <see cref="Process"/>; switches user with <c>runuser</c> when asked to.</summary>
public sealed class SystemProcessRunner : IProcessRunner, IBackgroundProcessRunner
{
    private readonly string _runuserPath;
    private readonly TimeSpan _drainGrace;

    /// <param name="runuserPath">The tool that switches user for <see cref="ProcessRequest.RunAs"/>.</param>
    /// <param name="drainGrace">
    /// How long to keep reading output after the process exited or was killed (default 2 s): a background child may hold the pipes open.
    /// </param>
    public SystemProcessRunner(string runuserPath = "runuser", TimeSpan? drainGrace = null)
    {
        _runuserPath = runuserPath;
        _drainGrace = drainGrace ?? TimeSpan.FromSeconds(2);
    }

    public async Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        var startInfo = BuildStartInfo(request);
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ModuleException($"Unable to run command '{request.Display}': {e.Message}", e);
        }

        var stdout = new StringBuilder();
        var stderr = request.MergeStderr ? stdout : new StringBuilder();
        using var drain = new CancellationTokenSource();
        // Process.Dispose leaves streams the caller has read to the caller: without these, each command's two pipe ends stay
        // open until the GC finalizes them (hundreds of descriptors on a busy minion, orch-bench soak).
        using var outReader = process.StandardOutput;
        using var errReader = process.StandardError;
        var readOut = PumpAsync(outReader, stdout, drain.Token);
        var readErr = PumpAsync(errReader, stderr, drain.Token);
        var writeIn = FeedAsync(process.StandardInput, request.Stdin);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (request.Timeout is { } timeout)
        {
            deadline.CancelAfter(timeout);
        }

        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            try
            {
                await Task.WhenAll(readOut, readErr).WaitAsync(_drainGrace, deadline.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // A background child (a daemon started by an init script, `cmd &`) inherited the pipes; the command
                // itself is done, so stop reading rather than wait for the child to exit.
                drain.Cancel();
                await SwallowCancellationAsync(Task.WhenAll(readOut, readErr)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            KillTree(process);
            try
            {
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(_drainGrace, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Reported below as exit code -1.
            }
            drain.CancelAfter(_drainGrace);
            try
            {
                await Task.WhenAll(readOut, readErr).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Pipes held by an escaped grandchild; keep what was read.
            }
            cancellationToken.ThrowIfCancellationRequested();
        }
        await writeIn.ConfigureAwait(false);

        string outText, errText;
        lock (stdout)
        {
            outText = stdout.ToString();
        }
        lock (stderr)
        {
            errText = request.MergeStderr ? string.Empty : stderr.ToString();
        }
        var exitCode = process.HasExited ? process.ExitCode : -1;
        return new ProcessResult(process.Id, exitCode, outText, errText, timedOut);
    }

    public int StartBackground(ProcessRequest request)
    {
        // sh execs into the command, so the pid is the command's, with its stdio pointed at /dev/null.
        var wrapped = request with
        {
            FileName = "/bin/sh",
            Arguments = ["-c", "exec \"$@\" </dev/null >/dev/null 2>&1", "sh", request.FileName, .. request.Arguments],
            Stdin = null,
        };
        var startInfo = BuildStartInfo(wrapped);
        startInfo.RedirectStandardInput = false;
        startInfo.RedirectStandardOutput = false;
        startInfo.RedirectStandardError = false;
        startInfo.StandardOutputEncoding = null;
        startInfo.StandardErrorEncoding = null;
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ModuleException($"Unable to run command '{request.Display}': {e.Message}", e);
        }
        return process.Id;
    }

    private static async Task SwallowCancellationAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: the drain was cancelled on purpose.
        }
    }

    private ProcessStartInfo BuildStartInfo(ProcessRequest request)
    {
        var startInfo = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (request.RunAs is { Length: > 0 } user && user != Environment.UserName)
        {
            if (Environment.UserName != "root")
            {
                throw new ModuleException($"Cannot run as '{user}': the minion is not running as root");
            }
            startInfo.FileName = _runuserPath;
            startInfo.ArgumentList.Add("-u");
            startInfo.ArgumentList.Add(user);
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(request.FileName);
        }
        else
        {
            startInfo.FileName = request.FileName;
        }
        foreach (var argument in request.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        if (request.WorkingDirectory is { Length: > 0 } cwd)
        {
            if (!Directory.Exists(cwd))
            {
                throw new ModuleException($"Specified cwd '{cwd}' either not absolute or does not exist");
            }
            startInfo.WorkingDirectory = cwd;
        }
        if (request.ClearEnvironment)
        {
            startInfo.Environment.Clear();
        }
        if (request.Environment is { } environment)
        {
            foreach (var (key, value) in environment)
            {
                if (value is null)
                {
                    startInfo.Environment.Remove(key);
                }
                else
                {
                    startInfo.Environment[key] = value;
                }
            }
        }
        return startInfo;
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder target, CancellationToken cancellationToken)
    {
        var buffer = new char[4096];
        while (true)
        {
            var read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }
            lock (target)
            {
                target.Append(buffer, 0, read);
            }
        }
    }

    private static async Task FeedAsync(StreamWriter writer, string? text)
    {
        try
        {
            if (!string.IsNullOrEmpty(text))
            {
                await writer.WriteAsync(text).ConfigureAwait(false);
                await writer.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The process exited without reading all of its input; that is its business.
        }
        finally
        {
            try
            {
                writer.Close();
            }
            catch (IOException)
            {
                // Same: broken pipe on close.
            }
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (Win32Exception)
        {
            // Raced with exit, or a child we may not signal.
        }
    }
}
