using System.Diagnostics;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Reactor;

/// <summary>
/// Runs <c>caller.*</c> reactions on the master's host, as Salt does through a local salt-call: the
/// <c>orch-minion</c> beside the master's executable runs <c>call --local FUN ARGS</c> with the master's config directory
/// (so it reads the <c>minion</c> file there, if any). Arguments become command-line words the way <c>orch call</c> types
/// them: strings as they are, other values as JSON.
/// </summary>
public sealed class ReactorCaller(MasterOptions options)
{
    /// <summary>A caller reaction still running after this is killed, so a hung command cannot hold a worker for good.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    private const int MaxOutput = 4000;

    /// <summary>Where the minion binary is looked for: beside this process's own.</summary>
    public static string MinionPath => Path.Combine(AppContext.BaseDirectory, "orch-minion");

    /// <summary>Runs the function and returns its output; throws when it cannot start, times out or exits non-zero.</summary>
    public async Task<string> RunAsync(
        string function, List<object?> args, Dictionary<string, object?> kwargs, CancellationToken cancellationToken)
    {
        var minion = MinionPath;
        if (!File.Exists(minion))
        {
            throw new InvalidOperationException($"caller reactions need orch-minion beside orch-master ({minion} not found)");
        }
        var start = new ProcessStartInfo(minion)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var word in Words(options.ConfigDir, function, args, kwargs))
        {
            start.ArgumentList.Add(word);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start orch-minion");
        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            throw new TimeoutException($"caller.{function} still running after {Limit.TotalMinutes:0} minutes: killed");
        }
        var output = Trim(await stdout.ConfigureAwait(false));
        var errors = Trim(await stderr.ConfigureAwait(false));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"caller.{function} exited with {process.ExitCode}: {(errors.Length > 0 ? errors : output)}");
        }
        return $"caller.{function}: {Compact(output)}";
    }

    /// <summary>The JSON outputter's <c>{"local": ...}</c> as one line, for the log.</summary>
    private static string Compact(string output)
    {
        try
        {
            return DataTree.FromJson(output) is Dictionary<string, object?> result && result.TryGetValue("local", out var value)
                ? DataTree.ToJson(value, indent: false)
                : output;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            return output;
        }
    }

    /// <summary>The command line after the binary's name.</summary>
    internal static List<string> Words(string configDir, string function, List<object?> args, Dictionary<string, object?> kwargs)
    {
        var words = new List<string> { "call", "--local", "--out", "json" };
        if (configDir.Length > 0)
        {
            words.AddRange(["-c", configDir]);
        }
        // Everything after -- is the function and its arguments, even a word that starts with a dash.
        words.Add("--");
        words.Add(function);
        words.AddRange(args.Select(Word));
        words.AddRange(kwargs.Select(p => $"{p.Key}={Word(p.Value)}"));
        return words;
    }

    private static string Word(object? value) => value switch
    {
        string s => s,
        null => "None",
        _ => DataTree.ToJson(value, indent: false),
    };

    private static string Trim(string text)
    {
        text = text.Trim();
        return text.Length <= MaxOutput ? text : text[..MaxOutput] + "...";
    }
}
