using Orchestrator.Minion.Hosting;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Hosting;

public sealed class MinionOptionsTests : IDisposable
{
    private readonly TempDir _dir = Some.TempDir();

    public void Dispose() => _dir.Dispose();

    private MinionOptions Load(string yaml)
    {
        File.WriteAllText(_dir.Combine("minion"), yaml);
        return MinionOptions.Load(_dir.Path, _ => { });
    }

    [Fact]
    public void ReturnRetryTimers_DefaultToSalts()
    {
        var options = Load("id: web1\n");

        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)), (options.ReturnRetryTimer, options.ReturnRetryTimerMax));
    }

    [Fact]
    public void ReturnRetryTimerMax_BelowTheTimer_IsRaisedToIt()
    {
        var options = Load("id: web1\nreturn_retry_timer: 20\nreturn_retry_timer_max: 3\n");

        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20)), (options.ReturnRetryTimer, options.ReturnRetryTimerMax));
    }
}
