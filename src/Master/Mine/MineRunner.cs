using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Master.Events;
using Orchestrator.Master.Runners;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Mine;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Master.Mine;

/// <summary>Salt's <c>mine</c> runner: read the mine on the master, and have minions update theirs.</summary>
public static class MineRunner
{
    public static IEnumerable<RunnerFunction> Functions() =>
    [
        new("mine.get", "Gather the mine data of the minions a target selects: mine.get tgt fun [tgt_type=glob]. fun is one name, " +
            "a comma-separated list or a list; several nest the answer by function. The master asks as '<id>_master', so " +
            "entries with an allow_tgt are left out unless it names that id.\n\nCLI Example: orch run mine.get '*' network.interfaces",
            Get),
        new("mine.update", "Run mine.update on the minions a target selects and return each minion's answer: mine.update tgt " +
            "[tgt_type=glob] [clear=False] [mine_functions=...].\n\nCLI Example: orch run mine.update '*'\n" +
            "orch run mine.update webservers tgt_type=nodegroup", Update),
    ];

    private static object? Get(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs)
    {
        var target = Required(args, kwargs, 0, "tgt", "mine.get");
        var (functions, byFunction) = MineFunctionList.Parse(Arg(args, kwargs, 1, "fun") ?? throw Missing("fun", "mine.get"));
        var type = Arg(args, kwargs, 2, "tgt_type") is { } t ? DataTree.KeyToString(t) : "glob";
        return ctx.Services.GetRequiredService<MineQuery>().Get($"{ctx.Options.Id}_master", target, type, functions, byFunction);
    }

    private static object? Update(RunnerContext ctx, List<object?> args, Dictionary<string, object?> kwargs)
    {
        var target = Required(args, kwargs, 0, "tgt", "mine.update");
        var type = Arg(args, kwargs, 1, "tgt_type") is { } t ? DataTree.KeyToString(t) : "glob";
        var jobKwargs = new Dictionary<string, object?>(StringComparer.Ordinal) { ["clear"] = DataTree.IsTruthy(Arg(args, kwargs, 2, "clear")) };
        if (Arg(args, kwargs, 3, "mine_functions") is { } functions)
        {
            jobKwargs["mine_functions"] = functions;
        }
        var expected = ctx.Jobs.ExpectedMinions(target, type);
        if (expected.Count == 0)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        var job = new JobPublish
        {
            Jid = ctx.Jobs.NewJid(),
            Function = "mine.update",
            Kwargs = jobKwargs,
            Target = target,
            TargetType = type,
            User = "root",
            Timeout = ctx.Options.Timeout,
        };
        return CollectAsync(ctx, job, expected).GetAwaiter().GetResult();
    }

    /// <summary>Publishes the job and gathers the returns (Salt's <c>salt.execute</c>): those that came within the timeout.</summary>
    private static async Task<Dictionary<string, object?>> CollectAsync(RunnerContext ctx, JobPublish job, IReadOnlyList<string> expected)
    {
        var prefix = EventTag.JobReturnPrefix(job.Jid);
        using var returns = ctx.Events.Subscribe(tag => tag.StartsWith(prefix, StringComparison.Ordinal));
        ctx.Jobs.Publish(job, expected);
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(1, job.Timeout)), ctx.Time);
        try
        {
            while (result.Count < expected.Count)
            {
                var e = await returns.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                if (e.Data.GetValueOrDefault("id") is string id)
                {
                    result[id] = e.Data.GetValueOrDefault("return");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The timeout passed: minions that did not answer are left out, as salt.execute leaves them out.
        }
        return result;
    }

    private static object? Arg(List<object?> args, Dictionary<string, object?> kwargs, int index, string name) =>
        kwargs.TryGetValue(name, out var value) ? value : index < args.Count ? args[index] : null;

    private static string Required(List<object?> args, Dictionary<string, object?> kwargs, int index, string name, string function) =>
        Arg(args, kwargs, index, name) is { } value ? DataTree.KeyToString(value) : throw Missing(name, function);

    private static ArgumentException Missing(string name, string function) =>
        new($"{function} is missing its argument '{name}'");
}
