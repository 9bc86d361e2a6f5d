using Microsoft.Extensions.Time.Testing;
using Orchestrator.Shared.Crypto;

namespace Orchestrator.Shared.Tests.Crypto;

public class ReplayGuardTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static byte[] Nonce(byte seed) => [seed, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    [Fact]
    public void Check_FreshEnvelope_ReturnsNull()
    {
        var guard = new ReplayGuard(Window, _time);

        Assert.Null(guard.Check("web1", NowMs, Nonce(1)));
    }

    [Fact]
    public void Check_SameNonceTwice_RefusesSecond()
    {
        var guard = new ReplayGuard(Window, _time);
        guard.Check("web1", NowMs, Nonce(1));

        Assert.Contains("replay", guard.Check("web1", NowMs, Nonce(1)));
    }

    [Fact]
    public void Check_SameNonceOtherSender_Accepts()
    {
        var guard = new ReplayGuard(Window, _time);
        guard.Check("web1", NowMs, Nonce(1));

        Assert.Null(guard.Check("web2", NowMs, Nonce(1)));
    }

    [Theory]
    [InlineData(-60_001)]
    [InlineData(60_001)]
    public void Check_TimestampOutsideWindow_Refuses(long offsetMs)
    {
        var guard = new ReplayGuard(Window, _time);

        Assert.Contains("outside the replay window", guard.Check("web1", NowMs + offsetMs, Nonce(1)));
    }

    [Theory]
    [InlineData(-60_000)]
    [InlineData(60_000)]
    public void Check_TimestampAtWindowEdge_Accepts(long offsetMs)
    {
        var guard = new ReplayGuard(Window, _time);

        Assert.Null(guard.Check("web1", NowMs + offsetMs, Nonce(1)));
    }

    [Fact]
    public void Check_ReplayAfterPruneInterval_StillRefused()
    {
        // Stamped at the far edge of the window: valid until now + 2 windows, so the nonce must be remembered that long.
        var guard = new ReplayGuard(Window, _time);
        var stamp = NowMs + 60_000;
        guard.Check("web1", stamp, Nonce(1));

        _time.Advance(TimeSpan.FromSeconds(119));
        guard.Check("web2", NowMs, Nonce(2)); // triggers pruning

        Assert.NotNull(guard.Check("web1", stamp, Nonce(1)));
    }

    [Fact]
    public void Check_NonceForgottenAfterTwoWindows_TimestampRefusesReplay()
    {
        var guard = new ReplayGuard(Window, _time);
        var stamp = NowMs;
        guard.Check("web1", stamp, Nonce(1));

        _time.Advance(TimeSpan.FromSeconds(121));
        guard.Check("web2", NowMs, Nonce(2));

        Assert.Contains("outside the replay window", guard.Check("web1", stamp, Nonce(1)));
    }
}
