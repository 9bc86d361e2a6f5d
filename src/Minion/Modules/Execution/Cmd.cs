using System.Globalization;
using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>cmd</c> module: runs commands and scripts on the minion.</summary>
/// <remarks>
/// Every process goes through <see cref="IProcessRunner"/>. A non-zero exit code becomes the job's retcode unless
/// <c>ignore_retcode</c> is set or the code is listed in <c>success_retcodes</c>.
/// </remarks>
[ExecutionModule("cmd")]
public sealed class CmdModule : IExecutionModule
{
    private const string CommonDoc =
        "\n\nOptions: cwd (default: the runas user's home), stdin, runas, shell, python_shell (run through the shell; default True), " +
        "env (dict of variables), clean_env, timeout (seconds; the process tree is killed), rstrip, hide_output, " +
        "output_loglevel, ignore_retcode, success_retcodes.";

    private readonly IProcessRunner _runner;
    private readonly IAccountDatabase _accounts;

    public CmdModule(IProcessRunner runner, IAccountDatabase accounts)
    {
        _runner = runner;
        _accounts = accounts;
        Functions =
        [
            new("has_exec", "Return True if the executable is available on the minion's PATH (or is an executable path).\n\n" +
                "CLI Example: orch '*' cmd.has_exec cat", [Req("cmd")], HasExec),
            new("retcode", "Execute a command and return its exit code." + CommonDoc +
                "\n\nCLI Example: orch '*' cmd.retcode \"file /bin/bash\"", RunParameters(), RetcodeAsync, AcceptsExtraArgs: true),
            new("run", "Execute a command and return its output (stderr merged into stdout) as a string." + CommonDoc +
                "\n\nCLI Example: orch '*' cmd.run \"ls -l | awk '/foo/{print \\$2}'\"", RunParameters(), RunAsync, AcceptsExtraArgs: true),
            new("run_all", "Execute a command and return a dict of pid, retcode, stdout and stderr." + CommonDoc +
                "\n\nCLI Example: orch '*' cmd.run_all \"ls -l | awk '/foo/{print \\$2}'\"", RunParameters(), RunAllAsync,
                AcceptsExtraArgs: true),
            new("run_bg", "Start a command in the background and return {pid} at once; its output is discarded." + CommonDoc +
                "\n\nCLI Example: orch '*' cmd.run_bg \"fstrim-all\"", RunParameters(), RunBackground, AcceptsExtraArgs: true),
            new("run_stderr", "Execute a command and return only its standard error." + CommonDoc +
                "\n\nCLI Example: orch '*' cmd.run_stderr \"ls /nonexistent\"", RunParameters(), RunStderrAsync, AcceptsExtraArgs: true),
            new("run_stdout", "Execute a command and return only its standard output." + CommonDoc +
                "\n\nCLI Example: orch '*' cmd.run_stdout \"ls -l\"", RunParameters(), RunStdoutAsync, AcceptsExtraArgs: true),
            new("script", "Download a script (salt:// or a local path) and run it with optional args; returns {pid, retcode, stdout, stderr}." +
                CommonDoc + "\n\nCLI Example: orch '*' cmd.script salt://scripts/runme.sh 'arg1 arg2 \"arg 3\"'",
                [Req("source"), Opt("args"), .. RunOptions(pythonShellDefault: false), Opt("saltenv", "base")], ScriptAsync,
                AcceptsExtraArgs: true),
            new("script_retcode", "Run a script like cmd.script and return only its exit code." + CommonDoc +
                "\n\nCLI Example: orch '*' cmd.script_retcode salt://scripts/runme.sh",
                [Req("source"), Opt("args"), .. RunOptions(pythonShellDefault: false), Opt("saltenv", "base")], ScriptRetcodeAsync,
                AcceptsExtraArgs: true),
            new("shell", "Execute a command through the shell and return its output; like cmd.run with python_shell=True." + CommonDoc +
                "\n\nCLI Example: orch '*' cmd.shell \"ls -l | awk '/foo/{print \\$2}'\"", RunParameters(), ShellAsync,
                AcceptsExtraArgs: true),
            new("which", "Return the path of an executable on the minion's PATH, or None.\n\nCLI Example: orch '*' cmd.which cat",
                [Req("cmd")], Which),
        ];
    }

    public string Doc => "A module for shelling out: run commands and scripts, with cwd, env, stdin, runas and timeout.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private static FunctionParameter[] RunParameters() => [Req("cmd"), .. RunOptions(pythonShellDefault: true), Opt("saltenv", "base")];

    private static FunctionParameter[] RunOptions(bool pythonShellDefault) =>
    [
        Opt("cwd"),
        Opt("stdin"),
        Opt("runas"),
        Opt("shell"),
        Opt("python_shell", pythonShellDefault),
        Opt("env"),
        Opt("clean_env", false),
        Opt("template"),
        Opt("rstrip", true),
        Opt("umask"),
        Opt("output_loglevel", "debug"),
        Opt("hide_output", false),
        Opt("timeout"),
        Opt("reset_system_locale", true),
        Opt("ignore_retcode", false),
        Opt("success_retcodes"),
    ];

    private async Task<object?> RunAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var result = await ExecuteAsync(call, mergeStderr: true, forceShell: false, cancellationToken).ConfigureAwait(false);
        return result["stdout"];
    }

    private async Task<object?> ShellAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var result = await ExecuteAsync(call, mergeStderr: true, forceShell: true, cancellationToken).ConfigureAwait(false);
        return result["stdout"];
    }

    private async Task<object?> RunAllAsync(ModuleCall call, CancellationToken cancellationToken) =>
        await ExecuteAsync(call, mergeStderr: false, forceShell: false, cancellationToken).ConfigureAwait(false);

    private Task<object?> RunBackground(ModuleCall call, CancellationToken cancellationToken)
    {
        if (_runner is not IBackgroundProcessRunner background)
        {
            throw new ModuleException("cmd.run_bg: this minion's process runner cannot start background processes");
        }
        var command = call.RequireString("cmd");
        var runas = call.GetString("runas");
        var request = BuildRequest(call, command, call.GetBool("python_shell", true), runas) with
        {
            WorkingDirectory = call.GetString("cwd") ?? DefaultCwd(runas),
            Environment = BuildEnvironment(call),
            ClearEnvironment = call.GetBool("clean_env"),
            RunAs = runas,
        };
        return Task.FromResult<object?>(new Dictionary<string, object?> { ["pid"] = (long)background.StartBackground(request) });
    }

    private async Task<object?> RunStdoutAsync(ModuleCall call, CancellationToken cancellationToken) =>
        (await ExecuteAsync(call, mergeStderr: false, forceShell: false, cancellationToken).ConfigureAwait(false))["stdout"];

    private async Task<object?> RunStderrAsync(ModuleCall call, CancellationToken cancellationToken) =>
        (await ExecuteAsync(call, mergeStderr: false, forceShell: false, cancellationToken).ConfigureAwait(false))["stderr"];

    private async Task<object?> RetcodeAsync(ModuleCall call, CancellationToken cancellationToken) =>
        (await ExecuteAsync(call, mergeStderr: false, forceShell: false, cancellationToken).ConfigureAwait(false))["retcode"];

    private async Task<object?> ScriptAsync(ModuleCall call, CancellationToken cancellationToken) =>
        await RunScriptAsync(call, cancellationToken).ConfigureAwait(false);

    private async Task<object?> ScriptRetcodeAsync(ModuleCall call, CancellationToken cancellationToken) =>
        (await RunScriptAsync(call, cancellationToken).ConfigureAwait(false))["retcode"];

    private static Task<object?> Which(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(FindExecutable(call.RequireString("cmd")));

    private static Task<object?> HasExec(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(FindExecutable(call.RequireString("cmd")) is not null);

    /// <summary>Searches PATH like <c>which</c>; a name with a slash is checked as is.</summary>
    internal static string? FindExecutable(string name)
    {
        if (name.Contains('/'))
        {
            return IsExecutable(name) ? name : null;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path)
        && (UnixFs.GetMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private async Task<Dictionary<string, object?>> RunScriptAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var source = call.RequireString("source");
        string? local;
        if (source.StartsWith("salt://", StringComparison.Ordinal))
        {
            var files = call.Context.Files ?? throw new ModuleException("cmd.script: no file client is available to fetch " + source);
            local = await files.CacheFileAsync(source, call.GetString("saltenv") ?? "base", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            local = File.Exists(source) ? source : null;
        }
        if (local is null)
        {
            return new Dictionary<string, object?>
            {
                ["pid"] = 0L,
                ["retcode"] = 1L,
                ["stdout"] = string.Empty,
                ["stderr"] = string.Empty,
                ["cache_error"] = true,
            };
        }

        // Run a private copy: the cached file may not be executable, and the runas user must be able to read it.
        var tempDir = Directory.CreateTempSubdirectory("orch-script-");
        try
        {
            var script = Path.Combine(tempDir.FullName, Path.GetFileName(local));
            File.Copy(local, script);
            var runas = call.GetString("runas");
            var shared = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            UnixFs.SetMode(tempDir.FullName, string.IsNullOrEmpty(runas) ? owner : shared);
            UnixFs.SetMode(script, string.IsNullOrEmpty(runas) ? owner : shared);

            var args = call.GetString("args");
            var command = string.IsNullOrWhiteSpace(args) ? ShellWords.Quote(script) : $"{ShellWords.Quote(script)} {args}";
            return await ExecuteAsync(call, command, mergeStderr: false, forceShell: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                tempDir.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A still-running background child holds it; the OS temp cleaner gets it.
            }
        }
    }

    private Task<Dictionary<string, object?>> ExecuteAsync(ModuleCall call, bool mergeStderr, bool forceShell, CancellationToken cancellationToken)
    {
        var command = call["cmd"] switch
        {
            List<object?> parts => string.Join(' ', parts.Select(p => ShellWords.Quote(Convert.ToString(p, CultureInfo.InvariantCulture) ?? ""))),
            _ => call.RequireString("cmd"),
        };
        return ExecuteAsync(call, command, mergeStderr, forceShell, cancellationToken);
    }

    private async Task<Dictionary<string, object?>> ExecuteAsync(
        ModuleCall call, string command, bool mergeStderr, bool forceShell, CancellationToken cancellationToken)
    {
        if (call.ExtraKwargs.TryGetValue("bg", out var bg) && bg is true)
        {
            throw new ModuleException($"{call.Function}: bg=True is not supported; use cmd.run_bg");
        }
        var runas = call.GetString("runas");
        var timeoutSeconds = call.GetDouble("timeout");
        var request = BuildRequest(call, command, forceShell || call.GetBool("python_shell", true), runas) with
        {
            WorkingDirectory = call.GetString("cwd") ?? DefaultCwd(runas),
            Environment = BuildEnvironment(call),
            ClearEnvironment = call.GetBool("clean_env"),
            Stdin = call.GetString("stdin")?.Replace("\\n", "\n", StringComparison.Ordinal),
            Timeout = timeoutSeconds is > 0 ? TimeSpan.FromSeconds(timeoutSeconds.Value) : null,
            RunAs = runas,
            MergeStderr = mergeStderr,
        };

        var result = await _runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        var rstrip = call.GetBool("rstrip", true);
        var stdout = rstrip ? result.Stdout.TrimEnd() : result.Stdout;
        var stderr = rstrip ? result.Stderr.TrimEnd() : result.Stderr;
        long retcode = result.ExitCode;
        if (result.TimedOut)
        {
            var message = $"{command} : Timed out after {timeoutSeconds?.ToString(CultureInfo.InvariantCulture)} seconds";
            stdout = stdout.Length == 0 ? message : $"{stdout}\n{message}";
            retcode = 1;
        }
        if (call.GetBool("hide_output"))
        {
            stdout = string.Empty;
            stderr = string.Empty;
        }
        if (retcode != 0 && !call.GetBool("ignore_retcode") && !IsSuccessRetcode(call, retcode))
        {
            call.Retcode = (int)retcode;
        }
        return new Dictionary<string, object?>
        {
            ["pid"] = (long)result.Pid,
            ["retcode"] = retcode,
            ["stdout"] = stdout,
            ["stderr"] = stderr,
        };
    }

    private static ProcessRequest BuildRequest(ModuleCall call, string command, bool useShell, string? runas)
    {
        var umask = call.GetString("umask");
        if (umask is not null && !umask.All(char.IsAsciiDigit))
        {
            throw new ModuleException($"Invalid umask: '{umask}'");
        }
        if (useShell || umask is not null)
        {
            var shell = call.GetString("shell") ?? DefaultShell();
            if (!File.Exists(shell))
            {
                throw new ModuleException($"Shell '{shell}' is not available");
            }
            var script = umask is null ? command : $"umask {umask}; {(useShell ? command : "exec " + command)}";
            return new ProcessRequest(shell, ["-c", script]);
        }
        var words = ShellWords.Split(command);
        if (words.Count == 0)
        {
            throw new ModuleException("cmd: the command is empty");
        }
        return new ProcessRequest(words[0], words.Skip(1).ToList());
    }

    private static string DefaultShell()
    {
        var shell = Environment.GetEnvironmentVariable("SHELL");
        return !string.IsNullOrEmpty(shell) && File.Exists(shell) ? shell : "/bin/sh";
    }

    private string DefaultCwd(string? runas)
    {
        var home = string.IsNullOrEmpty(runas)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)
            : _accounts.Users().FirstOrDefault(u => u.Name == runas)?.Home
              ?? throw new ModuleException($"User '{runas}' is not available");
        // Salt insists on the home directory; a service account's /nonexistent home falls back to / instead.
        return !string.IsNullOrEmpty(home) && Directory.Exists(home) ? home : "/";
    }

    private static Dictionary<string, string?>? BuildEnvironment(ModuleCall call)
    {
        var env = call["env"] switch
        {
            null => null,
            // Salt also accepts a list of single-key dicts.
            List<object?> list => list.OfType<Dictionary<string, object?>>().SelectMany(d => d).ToDictionary(kv => kv.Key, kv => kv.Value),
            _ => call.GetMap("env"),
        };
        if (env is null && !call.GetBool("reset_system_locale", true))
        {
            return null;
        }
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (call.GetBool("reset_system_locale", true))
        {
            // Salt resets the locale so tools print parseable, untranslated output; LC_CTYPE stays to keep UTF-8.
            foreach (var name in new[] { "LC_NUMERIC", "LC_TIME", "LC_COLLATE", "LC_MONETARY", "LC_MESSAGES" })
            {
                result[name] = "C";
            }
        }
        foreach (var (key, value) in env ?? [])
        {
            result[key] = value switch
            {
                null => null,
                string s => s,
                bool b => b ? "True" : "False",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString(),
            };
        }
        return result;
    }

    private static bool IsSuccessRetcode(ModuleCall call, long retcode) =>
        call.GetList("success_retcodes") is { } codes
        && codes.Any(c => long.TryParse(Convert.ToString(c, CultureInfo.InvariantCulture), out var code) && code == retcode);
}
