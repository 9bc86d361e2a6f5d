using Orchestrator.Master.Reactor;

namespace Orchestrator.Master.Tests.Reactor;

public class ReactorCallerTests
{
    [Fact]
    public void Words_LocalCallWithConfigDirThenFunctionAfterDoubleDash()
    {
        var words = ReactorCaller.Words("/etc/orch", "cmd.run", ["-rf"], new(StringComparer.Ordinal)
        {
            ["cmd"] = "touch /tmp/x",
            ["cwd"] = "/tmp",
            ["env"] = new Dictionary<string, object?> { ["A"] = "1" },
            ["python_shell"] = true,
        });

        Assert.Equal(
            ["call", "--local", "--out", "json", "-c", "/etc/orch", "--", "cmd.run", "-rf",
             "cmd=touch /tmp/x", "cwd=/tmp", "env={\"A\":\"1\"}", "python_shell=true"],
            words);
    }

    [Fact]
    public void Words_NoConfigDir_NoOption() =>
        Assert.DoesNotContain("-c", ReactorCaller.Words("", "test.ping", [], new(StringComparer.Ordinal)));
}
