using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>alternatives</c> module on Debian: <c>update-alternatives</c> and the links in <c>/etc/alternatives</c>.</summary>
/// <remarks>Under a host root other than "/" every call gets <c>--root</c>, so tests work on a throw-away tree.</remarks>
[ExecutionModule("alternatives")]
public sealed class AlternativesModule : IExecutionModule
{
    private readonly IProcessRunner _runner;
    private readonly string _root;

    public AlternativesModule(IProcessRunner runner, string root = "/")
    {
        _runner = runner;
        _root = root;
        Functions =
        [
            new("auto", "Trigger alternatives to set the path for <name> as specified by priority.\n\nCLI Example: orch '*' alternatives.auto name",
                [Req("name")], (c, ct) => RunAsync(c, ct, false, "--auto", c.RequireString("name"))),
            new("check_exists", "Check if the given path is an alternative for a name.\n\nCLI Example: orch '*' alternatives.check_exists name path",
                [Req("name"), Req("path")], CheckExistsAsync),
            new("check_installed", "Check if the current highest-priority match for a given alternatives link is set to the desired path.\n\n" +
                "CLI Example: orch '*' alternatives.check_installed name path", [Req("name"), Req("path")],
                (c, _) => Task.FromResult<object?>(ShowCurrent(c.RequireString("name")) is string current && current == c.RequireString("path"))),
            new("display", "Display alternatives settings for defined command name.\n\nCLI Example: orch '*' alternatives.display editor", [Req("name")],
                async (c, ct) => await DisplayAsync(c.Context, c.RequireString("name"), ct).ConfigureAwait(false)),
            new("install", "Install symbolic links determining default commands.\n\nCLI Example: orch '*' alternatives.install editor " +
                "/usr/bin/editor /usr/bin/emacs23 50", [Req("name"), Req("link"), Req("path"), Req("priority")],
                (c, ct) => RunAsync(c, ct, true, "--install", c.RequireString("link"), c.RequireString("name"), c.RequireString("path"), c.RequireString("priority"))),
            new("remove", "Remove symbolic links determining the default commands.\n\nCLI Example: orch '*' alternatives.remove name path",
                [Req("name"), Req("path")], (c, ct) => RunAsync(c, ct, false, "--remove", c.RequireString("name"), c.RequireString("path"))),
            new("set", "Manually set the alternative <path> for <name>.\n\nCLI Example: orch '*' alternatives.set editor /usr/bin/emacs23",
                [Req("name"), Req("path")], (c, ct) => RunAsync(c, ct, false, "--set", c.RequireString("name"), c.RequireString("path"))),
            new("show_current", "Display the current highest-priority alternative for a given alternatives link (False when there is none).\n\n" +
                "CLI Example: orch '*' alternatives.show_current editor", [Req("name")],
                (c, _) => Task.FromResult(ShowCurrent(c.RequireString("name")))),
            new("show_link", "Display master link for the alternative.\n\nCLI Example: orch '*' alternatives.show_link editor", [Req("name")],
                ShowLinkAsync),
        ];
    }

    public string Doc => "Support for Debian's alternatives system (update-alternatives).";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private List<string> Args(params string[] args) => _root is "/" or "" ? [.. args] : ["--root", _root, .. args];

    private async Task<ProcessResult> ToolAsync(ModuleContext context, CancellationToken cancellationToken, params string[] args)
    {
        DebianOnly.Require(context, "alternatives");
        return await HostCommand.RunAsync(_runner, "update-alternatives", Args(args), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Salt returns stderr when the tool failed (for install only when it also printed something there), else stdout.</summary>
    private async Task<object?> RunAsync(ModuleCall call, CancellationToken cancellationToken, bool needsStderr, params string[] args)
    {
        var result = await ToolAsync(call.Context, cancellationToken, args).ConfigureAwait(false);
        return result.ExitCode > 0 && (!needsStderr || result.Stderr.Length > 0) ? result.Stderr.TrimEnd('\n') : HostCommand.Out(result);
    }

    public async Task<string> DisplayAsync(ModuleContext context, string name, CancellationToken cancellationToken)
    {
        var result = await ToolAsync(context, cancellationToken, "--display", name).ConfigureAwait(false);
        return result.ExitCode > 0 && result.Stderr.Length > 0 ? result.Stderr.TrimEnd('\n') : HostCommand.Out(result);
    }

    private async Task<object?> CheckExistsAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var result = await ToolAsync(call.Context, cancellationToken, "--display", call.RequireString("name")).ConfigureAwait(false);
        if (result.ExitCode > 0 && result.Stderr.Length > 0)
        {
            return false;
        }
        var path = call.RequireString("path");
        return result.Stdout.Split('\n').Any(line => line.StartsWith(path, StringComparison.Ordinal));
    }

    private async Task<object?> ShowLinkAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var result = await ToolAsync(call.Context, cancellationToken, "--query", call.RequireString("name")).ConfigureAwait(false);
        if (result.ExitCode > 0 && result.Stderr.Length > 0)
        {
            return false;
        }
        var link = result.Stdout.Split("\n\n", 2)[0].Split('\n').FirstOrDefault(l => l.StartsWith("Link:", StringComparison.Ordinal));
        return link is null ? false : link.Split(':', 2)[1].Trim();
    }

    /// <summary>The target of <c>/etc/alternatives/NAME</c> (under the root), or False.</summary>
    public object? ShowCurrent(string name)
    {
        var target = new FileInfo(HostCommand.Rooted(_root, "/etc/alternatives/" + name)).LinkTarget;
        return target is null ? false : target;
    }
}
