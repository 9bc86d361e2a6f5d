using Orchestrator.Shared.Data;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>
/// Salt's <c>git</c> execution module, its config functions: read, set and unset keys of a repository's or a user's global git
/// config with the git CLI, run through <c>cmd.run_all</c> as the given user (whose HOME holds the global config).
/// </summary>
[ExecutionModule("git")]
public sealed class GitModule : IExecutionModule
{
    public GitModule()
    {
        FunctionParameter[] common = [Opt("cwd"), Opt("user"), Opt("password"), Opt("ignore_retcode", false), Opt("output_encoding")];
        Functions =
        [
            new("config_get", "Get the value of a key in the git configuration file (the last one, or all of a multivar with all=True); " +
                "None when unset. cwd is the repository, unless global=True.\n\nCLI Example: orch '*' git.config_get user.name cwd=/path/to/repo\n" +
                "orch '*' git.config_get user.email global=True",
                [Req("key"), .. common], ConfigGetAsync, AcceptsExtraArgs: true),
            new("config_get_regexp", "Get the keys (and values) matching a regex, optionally with a value regex: {key: [values]}.\n\n" +
                "CLI Example: orch '*' git.config_get_regexp 'user\\..+' cwd=/path/to/repo",
                [Req("key"), Opt("value_regex"), .. common], ConfigGetRegexpAsync, AcceptsExtraArgs: true),
            new("config_set", "Set a key (value) or a multivar (multivar: a list) in the repository's config, or the user's global config " +
                "with global=True; add=True adds a value instead of replacing. Returns the key's values after the change.\n\n" +
                "CLI Example: orch '*' git.config_set user.email me@example.com cwd=/path/to/repo",
                [Req("key"), Opt("value"), Opt("multivar"), .. common], ConfigSetAsync, AcceptsExtraArgs: true),
            new("config_unset", "Unset a key (all=True: every value of a multivar), optionally only the values matching value_regex.\n\n" +
                "CLI Example: orch '*' git.config_unset user.name cwd=/path/to/repo",
                [Req("key"), Opt("value_regex"), .. common], ConfigUnsetAsync, AcceptsExtraArgs: true),
        ];
    }

    public string Doc => "Interface to git: repository and global configuration.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private sealed record GitResult(long Retcode, string Stdout, string Stderr);

    private static bool Flag(ModuleCall call, string name) => call.ExtraKwargs.TryGetValue(name, out var v) && DataTree.IsTruthy(v);

    /// <summary>Salt's <c>clean_kwargs</c> and <c>invalid_kwargs</c>: keyword arguments other than <paramref name="allowed"/> are refused.</summary>
    private static void CheckKwargs(ModuleCall call, params string[] allowed)
    {
        var invalid = call.ExtraKwargs.Keys.Where(k => !allowed.Contains(k) && !k.StartsWith("__", StringComparison.Ordinal)).ToList();
        if (invalid.Count > 0)
        {
            throw new ModuleException("The following keyword arguments are not valid: " + string.Join(", ", invalid.Select(k => $"{k}={PyText.Str(call.ExtraKwargs[k])}")));
        }
        if (call.ExtraArgs.Count > 0)
        {
            throw new ModuleException($"{call.Function}() got unexpected positional arguments");
        }
    }

    private static string? Cwd(ModuleCall call, bool global)
    {
        var cwd = call.GetString("cwd");
        if (cwd is null && !global)
        {
            throw new ModuleException("'cwd' argument required unless global=True");
        }
        return cwd;
    }

    private static async Task<GitResult> RunAsync(ModuleCall call, string? cwd, List<string> command, bool failhard, CancellationToken cancellationToken)
    {
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["python_shell"] = false,
            ["ignore_retcode"] = true,
            ["runas"] = call.GetString("user"),
        };
        if (cwd is not null)
        {
            kwargs["cwd"] = cwd;
        }
        var line = string.Join(' ', command.Select(Quote));
        var result = await call.Context.Modules.InvokeAsync("cmd.run_all", [line], kwargs, call.Context, cancellationToken).ConfigureAwait(false);
        if (result.Return is not Dictionary<string, object?> all)
        {
            throw new ModuleException(PyText.Str(result.Return));
        }
        var ret = new GitResult(all.GetValueOrDefault("retcode") as long? ?? 1, all.GetValueOrDefault("stdout") as string ?? string.Empty,
            all.GetValueOrDefault("stderr") as string ?? string.Empty);
        if (failhard && ret.Retcode != 0)
        {
            var message = $"Command '{line}' failed";
            throw new ModuleException(ret.Stderr.Length > 0 ? message + ": " + ret.Stderr : message);
        }
        return ret;
    }

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static Task<GitResult> GetterAsync(ModuleCall call, string option, string key, string? valueRegex, bool global, CancellationToken cancellationToken)
    {
        var cwd = Cwd(call, global);
        List<string> command = ["git", "config", global ? "--global" : "--local", option, key];
        if (valueRegex is not null)
        {
            command.Add(valueRegex);
        }
        return RunAsync(call, cwd, command, failhard: false, cancellationToken);
    }

    private static async Task<object?> GetAsync(ModuleCall call, string key, bool all, bool global, CancellationToken cancellationToken)
    {
        var result = await GetterAsync(call, "--get-all", key, null, global, cancellationToken).ConfigureAwait(false);
        if (result.Retcode == 1)
        {
            return null;
        }
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (object?)l.TrimEnd('\r')).ToList();
        return all ? lines : lines.Count > 0 ? lines[^1] : string.Empty;
    }

    private static async Task<object?> ConfigGetAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        CheckKwargs(call, "all", "global");
        return await GetAsync(call, call.RequireString("key"), Flag(call, "all"), Flag(call, "global"), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ConfigGetRegexpAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        CheckKwargs(call, "global");
        var result = await GetterAsync(call, "--get-regexp", call.RequireString("key"), call.GetString("value_regex"), Flag(call, "global"), cancellationToken)
            .ConfigureAwait(false);
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (result.Retcode == 1)
        {
            return ret;
        }
        foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.TrimEnd('\r').Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2)
            {
                continue;
            }
            if (ret.GetValueOrDefault(parts[0]) is not List<object?> values)
            {
                values = [];
                ret[parts[0]] = values;
            }
            values.Add(parts[1]);
        }
        return ret;
    }

    private static async Task<object?> ConfigSetAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        CheckKwargs(call, "add", "global");
        var global = Flag(call, "global");
        var key = call.RequireString("key");
        var cwd = Cwd(call, global);
        var value = call.GetString("value");
        var multivar = call["multivar"] switch
        {
            null => null,
            List<object?> list => list.Select(PyText.Str).ToList(),
            var other => PyText.Str(other).Split(',').ToList(),
        };
        if (value is not null && multivar is not null)
        {
            throw new ModuleException("Only one of 'value' and 'multivar' is permitted");
        }
        List<string> prefix = global ? ["git", "config", "--global"] : ["git", "config"];
        if (value is not null)
        {
            await RunAsync(call, cwd, [.. prefix, Flag(call, "add") ? "--add" : "--replace-all", key, value], failhard: true, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            for (var i = 0; i < (multivar ?? []).Count; i++)
            {
                await RunAsync(call, cwd, [.. prefix, i == 0 ? "--replace-all" : "--add", key, multivar![i]], failhard: true, cancellationToken).ConfigureAwait(false);
            }
        }
        return await GetAsync(call, key, all: true, global, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ConfigUnsetAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        CheckKwargs(call, "all", "global");
        var global = Flag(call, "global");
        var key = call.RequireString("key");
        var cwd = Cwd(call, global);
        var valueRegex = call.GetString("value_regex");
        List<string> command = ["git", "config", Flag(call, "all") ? "--unset-all" : "--unset", global ? "--global" : "--local", key];
        if (valueRegex is not null)
        {
            command.Add(valueRegex);
        }
        var result = await RunAsync(call, cwd, command, failhard: false, cancellationToken).ConfigureAwait(false);
        switch (result.Retcode)
        {
            case 0:
                return true;
            case 1:
                throw new ModuleException("Section or key is invalid");
            case 5:
                if (await GetAsync(call, key, all: false, global, cancellationToken).ConfigureAwait(false) is null)
                {
                    throw new ModuleException($"Key '{key}' does not exist");
                }
                throw new ModuleException($"Multiple values exist for key '{key}'" + (valueRegex is not null ? " and value_regex matches multiple values" : string.Empty));
            case 6:
                throw new ModuleException("The value_regex is invalid");
            default:
                var message = $"Failed to unset key '{key}', git config returned exit code {result.Retcode}";
                throw new ModuleException(result.Stderr.Length > 0 ? message + "; " + result.Stderr : message);
        }
    }
}
