using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Testing;

/// <summary>The product's real executables (built beside the tests) started as an operator runs them, and free ports for them.</summary>
public static class Executables
{
    /// <summary>
    /// Where the programs are: <c>ORCH_TEST_BIN_DIR</c> when set (build.cake points it at the published product,
    /// artifacts/orch, so the tests run the natively compiled minion and CLI that users get), else the JIT builds beside
    /// the tests.
    /// </summary>
    public static string Directory { get; } =
        Environment.GetEnvironmentVariable("ORCH_TEST_BIN_DIR") is { Length: > 0 } published ? Path.GetFullPath(published) : AppContext.BaseDirectory;

    /// <summary>The full path of one of the product's programs (orch, orch-master, orch-minion).</summary>
    public static string PathOf(string program) => Path.Combine(Directory, program);

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts <paramref name="program"/> (orch-master, orch-minion) from <see cref="Directory"/> with its output
    /// redirected; with <paramref name="drain"/>, the output is read and dropped so a chatty daemon never blocks on a full pipe.
    /// </summary>
    public static Process Start(string program, bool drain, params string[] args)
    {
        var start = new ProcessStartInfo(PathOf(program))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        if (drain)
        {
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        return process;
    }
}
