using Microsoft.Extensions.Time.Testing;
using Orchestrator.Minion.Jobs;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Jobs;

public sealed class JidJournalTests : IDisposable
{
    private readonly TempDir _dir = Some.TempDir();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    private string Path => _dir.Combine("jid_journal");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TryStart_SecondTime_False_AlsoAfterARestart()
    {
        using (var journal = new JidJournal(Path, _time))
        {
            Assert.True(journal.TryStart("20261201115900000001"));
            Assert.False(journal.TryStart("20261201115900000001"));
        }

        using var restarted = new JidJournal(Path, _time);
        Assert.False(restarted.TryStart("20261201115900000001"));
        Assert.True(restarted.TryStart("20261201115900000002"));
    }

    [Fact]
    public void Load_DropsJidsOlderThanKeep_AndIgnoresJunkLines()
    {
        File.WriteAllLines(Path, ["20261130090000000001", "20261201110000000001", "", "not-a-jid"]);

        using var journal = new JidJournal(Path, _time);

        Assert.False(journal.Contains("20261130090000000001"));
        Assert.True(journal.Contains("20261201110000000001"));
        Assert.Equal(["20261201110000000001"], File.ReadAllLines(Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path));
    }

    [Fact]
    public void TryStart_JidWithALineBreak_IsRefused()
    {
        using var journal = new JidJournal(Path, _time);

        Assert.False(journal.TryStart("2026\n20261201110000000001"));
        Assert.False(journal.Contains("20261201110000000001"));
    }
}
