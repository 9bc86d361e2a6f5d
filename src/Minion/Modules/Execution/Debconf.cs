using System.Text.RegularExpressions;
using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>debconf</c> module: answers from <c>debconf-get-selections</c>, set with <c>debconf-set-selections</c> (debconf-utils).</summary>
[ExecutionModule("debconf")]
public sealed partial class DebconfModule : IExecutionModule
{
    private readonly IProcessRunner _runner;
    private readonly IReadOnlyDictionary<string, string?>? _environment;

    /// <param name="runner">Runs the debconf tools.</param>
    /// <param name="environment">Variables for those tools (tests point <c>DEBCONF_SYSTEMRC</c> at a throw-away database).</param>
    public DebconfModule(IProcessRunner runner, IReadOnlyDictionary<string, string?>? environment = null)
    {
        _runner = runner;
        _environment = environment;
        Functions =
        [
            new("get_selections", "Answers to debconf questions for all packages: {package: [[question, type, value], ...]}.\n\n" +
                "CLI Example: orch '*' debconf.get_selections", [Opt("fetchempty", true)],
                async (c, ct) => await GetSelectionsAsync(c.Context, c.GetBool("fetchempty", true), ct).ConfigureAwait(false)),
            new("set", "Set answers to debconf questions for a package.\n\nCLI Example: orch '*' debconf.set <package> <question> <type> <value> " +
                "[<value> ...]", [Req("package"), Req("question"), Req("type"), Req("value")], SetFn, AcceptsExtraArgs: true),
            new("show", "Answers to debconf questions for a package: [[question, type, value], ...]; None when debconf does not know the " +
                "package.\n\nCLI Example: orch '*' debconf.show <package>", [Req("name")],
                async (c, ct) => (await GetSelectionsAsync(c.Context, true, ct).ConfigureAwait(false)).GetValueOrDefault(c.RequireString("name"))),
        ];
    }

    public string Doc => "Support for Debconf: read and preseed the answers of packages' configuration questions.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private void Require(ModuleContext context, string function)
    {
        DebianOnly.Require(context, function);
        if (!HostCommand.Which("debconf-get-selections"))
        {
            throw new ModuleException($"{function}: debconf-get-selections was not found; install the debconf-utils package");
        }
    }

    public async Task<Dictionary<string, object?>> GetSelectionsAsync(ModuleContext context, bool fetchEmpty, CancellationToken cancellationToken)
    {
        Require(context, "debconf.get_selections");
        var result = await HostCommand.RunAsync(_runner, "debconf-get-selections", [], cancellationToken, environment: _environment).ConfigureAwait(false);
        var selections = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (Match m in Selection().Matches(result.Stdout))
        {
            var value = m.Groups["value"].Value;
            if (fetchEmpty || value.Length > 0)
            {
                if (selections.GetValueOrDefault(m.Groups["package"].Value) is not List<object?> list)
                {
                    selections[m.Groups["package"].Value] = list = [];
                }
                list.Add(new List<object?> { m.Groups["question"].Value, m.Groups["type"].Value, value });
            }
        }
        return selections;
    }

    private async Task<object?> SetFn(ModuleCall call, CancellationToken cancellationToken)
    {
        Require(call.Context, "debconf.set");
        var value = string.Join(' ', call.ExtraArgs.Select(Orchestrator.Shared.Data.PyText.Str).Prepend(call.RequireString("value")));
        var line = $"{call.RequireString("package")} {call.RequireString("question")} {call.RequireString("type")} {value}";
        var result = await HostCommand.RunAsync(_runner, "debconf-set-selections", [], cancellationToken, stdin: line + "\n", environment: _environment)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new ModuleException($"debconf-set-selections failed: {(result.Stderr + result.Stdout).Trim()}");
        }
        return true;
    }

    [GeneratedRegex("^(?<package>[^#]\\S+)[\t ]+(?<question>\\S+)[\t ]+(?<type>\\S+)[\t ]+(?<value>[^\n]*)$", RegexOptions.Multiline)]
    private static partial Regex Selection();
}
