using Orchestrator.Master.Reactor;
using Orchestrator.Shared.Rendering;

namespace Orchestrator.Master.Tests.Reactor;

public class ReactionCompilerTests
{
    private const string File = "/srv/reactor/test.sls";

    private static ReactionFile Compile(string yaml) => ReactionCompiler.Compile(YamlLoader.Load(yaml, File), yaml, File, "my/tag");

    private static ReactorAction Single(string yaml)
    {
        var result = Compile(yaml);
        Assert.Empty(result.Errors);
        return Assert.Single(result.Actions);
    }

    private static ReactorError Error(string yaml)
    {
        var result = Compile(yaml);
        Assert.Empty(result.Actions);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void Local_NewStyleArgs_BecomeKwargs()
    {
        var action = Single("""
            restart-nginx:
              local.service.restart:
                - tgt: web1
                - tgt_type: glob
                - args:
                  - name: nginx
            """);

        Assert.Equal(ReactionKind.Local, action.Kind);
        Assert.Equal("service.restart", action.Function);
        Assert.Equal("local.service.restart", action.Fun);
        Assert.Equal("web1", action.Target);
        Assert.Equal("glob", action.TargetType);
        Assert.Empty(action.Args);
        Assert.Equal("nginx", action.Kwargs["name"]);
        Assert.Equal("restart-nginx", action.Id);
        Assert.Equal(1, action.Line);
        Assert.Equal(File, action.File);
    }

    [Fact]
    public void Local_OldStyleArgAndKwarg_AndExprForm()
    {
        var action = Single("""
            old-style:
              local.cmd.run:
                - tgt: 'web*'
                - expr_form: pcre
                - arg:
                  - 'echo hi'
                - kwarg: {cwd: /tmp}
            """);

        Assert.Equal("cmd.run", action.Function);
        Assert.Equal("web*", action.Target);
        Assert.Equal("pcre", action.TargetType);
        Assert.Equal(["echo hi"], action.Args);
        Assert.Equal("/tmp", action.Kwargs["cwd"]);
    }

    [Fact]
    public void CmdAlias_IsLocal()
    {
        var action = Single("a:\n  cmd.test.ping:\n    - tgt: '*'\n");

        Assert.Equal(ReactionKind.Local, action.Kind);
        Assert.Equal("test.ping", action.Function);
    }

    [Fact]
    public void Local_TargetList_BecomesListTarget()
    {
        var action = Single("a:\n  local.test.ping:\n    - tgt: [web1, web2]\n");

        Assert.Equal("web1,web2", action.Target);
        Assert.Equal("list", action.TargetType);
    }

    [Fact]
    public void Local_Timeout_Kept()
    {
        Assert.Equal(30, Single("a:\n  local.test.ping:\n    - tgt: '*'\n    - timeout: 30\n").Timeout);
    }

    [Fact]
    public void Wheel_NewStyleArgs()
    {
        var action = Single("""
            accept-key:
              wheel.key.accept:
                - args:
                  - match: web1
            """);

        Assert.Equal(ReactionKind.Wheel, action.Kind);
        Assert.Equal("key.accept", action.Function);
        Assert.Null(action.Target);
        Assert.Equal("web1", action.Kwargs["match"]);
    }

    [Fact]
    public void Wheel_PlainKeys_AreTheFunctionsKwargs()
    {
        var action = Single("accept-key:\n  wheel.key.accept:\n    - match: web1\n    - include_rejected: true\n");

        Assert.Equal("web1", action.Kwargs["match"]);
        Assert.Equal(true, action.Kwargs["include_rejected"]);
    }

    [Fact]
    public void Runner_EmptyList_NoArguments()
    {
        var action = Single("run-orch:\n  runner.jobs.list_jobs: []\n");

        Assert.Equal(ReactionKind.Runner, action.Kind);
        Assert.Equal("jobs.list_jobs", action.Function);
        Assert.Empty(action.Args);
        Assert.Empty(action.Kwargs);
    }

    [Fact]
    public void Runner_PlainKeys_DropSaltsInternalOnes()
    {
        var action = Single("r:\n  runner.jobs.list_jobs:\n    - search_function: 'test.*'\n    - order: 1\n");

        Assert.Equal(["search_function"], action.Kwargs.Keys);
    }

    [Fact]
    public void Caller_NewStyleArgs()
    {
        var action = Single("caller-form:\n  caller.cmd.run:\n    - args:\n      - cmd: 'touch /tmp/x'\n");

        Assert.Equal(ReactionKind.Caller, action.Kind);
        Assert.Equal("touch /tmp/x", action.Kwargs["cmd"]);
        Assert.Empty(action.Args);
    }

    [Fact]
    public void Caller_LegacyPositionalArgs()
    {
        var action = Single("c:\n  caller.file.touch:\n    - args:\n      - /tmp/x\n");

        Assert.Equal(["/tmp/x"], action.Args);
        Assert.Empty(action.Kwargs);
    }

    [Fact]
    public void StateWithFunctionInList_IsAccepted()
    {
        var action = Single("a:\n  local:\n    - test.ping\n    - tgt: '*'\n");

        Assert.Equal("test.ping", action.Function);
    }

    [Fact]
    public void SeveralIds_InOrder_EachWithItsLine()
    {
        var result = Compile("""
            first:
              local.test.ping:
                - tgt: a

            'second':
              runner.jobs.active: []
            """);

        Assert.Equal(["first", "second"], result.Actions.Select(a => a.Id));
        Assert.Equal([1, 5], result.Actions.Select(a => a.Line));
    }

    [Fact]
    public void ArgsWithArg_WarnsThatArgIsIgnored()
    {
        var result = Compile("a:\n  local.cmd.run:\n    - tgt: '*'\n    - arg: [ls]\n    - args:\n      - cmd: pwd\n");

        var action = Assert.Single(result.Actions);
        Assert.Empty(action.Args);
        Assert.Equal("pwd", action.Kwargs["cmd"]);
        Assert.Contains(result.Warnings, w => w.Contains("'arg' is ignored", StringComparison.Ordinal) && w.Contains(File, StringComparison.Ordinal));
    }

    [Fact]
    public void Local_UnknownKey_Warned()
    {
        var result = Compile("a:\n  local.cmd.run:\n    - tgt: '*'\n    - cmd: ls\n");

        Assert.Single(result.Actions);
        Assert.Contains(result.Warnings, w => w.Contains("'cmd' is ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void EmptyRender_NoActionNoError()
    {
        var result = ReactionCompiler.Compile(null, "", File, "my/tag");

        Assert.Empty(result.Actions);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Error_UnknownReactionType_NamesFileLineAndId()
    {
        var error = Error("ok:\n  local.test.ping:\n    - tgt: '*'\nbad:\n  state.apply:\n    - tgt: '*'\n");

        Assert.Equal(File, error.File);
        Assert.Equal(4, error.Line);
        Assert.Equal("bad", error.Id);
        Assert.Contains("'state.apply'", error.Message);
        Assert.StartsWith($"{File}, line 4: ", error.Describe());
    }

    [Fact]
    public void Error_MissingTarget()
    {
        Assert.Contains("needs a target", Error("a:\n  local.test.ping:\n    - arg: [x]\n").Message);
    }

    [Fact]
    public void Error_IdNotAMapping()
    {
        Assert.Contains("ID 'a' is not a dictionary", Error("a: just a string\n").Message);
    }

    [Fact]
    public void Error_ReactionNotAList()
    {
        Assert.Contains("not formed as a list", Error("a:\n  local.test.ping: {tgt: x}\n").Message);
    }

    [Fact]
    public void Error_NoFunction()
    {
        Assert.Contains("no function declared", Error("a:\n  local:\n    - tgt: x\n").Message);
    }

    [Fact]
    public void Error_TwoFunctions()
    {
        Assert.Contains("too many functions", Error("a:\n  local:\n    - test.ping\n    - test.version\n    - tgt: x\n").Message);
    }

    [Fact]
    public void Error_ArgsNotADictList()
    {
        Assert.Contains("'args'", Error("a:\n  local.cmd.run:\n    - tgt: x\n    - args:\n      - ls\n").Message);
    }

    [Fact]
    public void Error_KwargNotAMapping()
    {
        Assert.Contains("'kwarg'", Error("a:\n  local.cmd.run:\n    - tgt: x\n    - kwarg: [1]\n").Message);
    }

    [Fact]
    public void Error_MultiKeyArgument()
    {
        Assert.Contains("multiple keys", Error("a:\n  local.cmd.run:\n    - {tgt: x, arg: [ls]}\n").Message);
    }

    [Fact]
    public void Error_NotAMapping()
    {
        var error = ReactionCompiler.Compile(new List<object?> { "x" }, "- x\n", File, "my/tag").Errors.Single();

        Assert.Contains("does not render to a mapping", error.Message);
    }

    [Fact]
    public void FileWithOneBadEntry_GivesNoActionAtAll()
    {
        var result = Compile("good:\n  local.test.ping:\n    - tgt: '*'\nbad:\n  local.test.ping: []\n");

        Assert.Empty(result.Actions);
        Assert.Single(result.Errors);
    }

    [Fact]
    public void DedupKey_SameActionDifferentId_Same_DifferentArgs_Different()
    {
        var a = Single("a:\n  local.cmd.run:\n    - tgt: x\n    - arg: [ls]\n");
        var b = Single("b:\n  local.cmd.run:\n    - tgt: x\n    - arg: [ls]\n");
        var c = Single("c:\n  local.cmd.run:\n    - tgt: x\n    - arg: [pwd]\n");

        Assert.Equal(a.DedupKey, b.DedupKey);
        Assert.NotEqual(a.DedupKey, c.DedupKey);
    }

    [Theory]
    [InlineData("a:\n  x: 1\n", "a", 1)]
    [InlineData("x: 1\n'b c':\n  y: 2\n", "b c", 2)]
    [InlineData("x: 1\n\"q\" :\n", "q", 2)]
    [InlineData("x:\n  a: 1\n", "a", 0)]
    public void LineOf_FindsTopLevelIds(string text, string id, int line) => Assert.Equal(line, ReactionCompiler.LineOf(text, id));
}
