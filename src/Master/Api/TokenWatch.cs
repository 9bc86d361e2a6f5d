using Orchestrator.Master.ExternalAuth;

namespace Orchestrator.Master.Api;

/// <summary>
/// Keeps a long-lived stream honest about its token: expiry is checked on every event, the token store (a logout) every
/// <see cref="EventStreamEndpoints.Recheck"/>, so a busy stream does not read the token file per event.
/// </summary>
internal sealed class TokenWatch(ApiAuth auth, EauthToken token, TimeProvider time)
{
    private DateTimeOffset _checked = time.GetUtcNow();

    public bool StillValid()
    {
        var now = time.GetUtcNow();
        if (token.Expire <= now.ToUnixTimeMilliseconds() / 1000.0)
        {
            return false;
        }
        if (now - _checked < EventStreamEndpoints.Recheck)
        {
            return true;
        }
        _checked = now;
        return auth.Find(token.Token) is not null;
    }
}
